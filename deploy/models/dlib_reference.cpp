// Homeward: dlib's own C++ pipeline, used as the reference that the converted models and the Java
// port are checked against.  Built by verify-default-bundle.sh against Debian's libdlib-dev:
//   g++ -O2 -std=c++14 dlib_reference.cpp $(pkg-config --cflags --libs dlib-1)
//
// Usage: dlib_reference MODELS_DIR OUT_DIR IMAGE...
// For each image (loaded with dlib::load_image into matrix<rgb_pixel>, as dlib's Python API does):
//   - runs the MMOD CNN face detector (mmod_human_face_detector.dat) with no upsampling,
//     exactly like dlib.cnn_face_detection_model_v1(...)(img, 0);
//   - runs the 5-point shape predictor on each detection box;
//   - extracts the 150x150 face chip: extract_image_chip(img, get_face_chip_details(shape,150,0.25));
//   - computes the 128-D descriptor of every chip with the ResNet (dlib_face_recognition_resnet_model_v1.dat).
// Writes OUT_DIR/reference.json and, per image i and face j, raw dumps the Python checks read:
//   img_i.rgb        decoded pixels, H*W*3 bytes, RGB, row-major
//   img_i.tiled.f32  the detector's input tensor (tiled pyramid, normalised), float32 [3][NR][NC]
//   img_i.scores.f32 the detector's output score map, float32 [NR'][NC']
//   img_i_face_j.rgb the 150x150 chip (150*150*3 bytes), and img_i_face_j.png for people.
// 'probes': each detection box moved and scaled (6 ways) and run through the shape predictor, chip and
// network as well, to test the landmark and alignment ports on more cases (img_i_probe_k.rgb).

#include <dlib/revision.h>
#include <dlib/dnn.h>
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_transforms.h>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace dlib;

// ---- the face detector's type, as in dlib's dnn_mmod_face_detection_ex.cpp --------------------
template <long num_filters, typename SUBNET> using con5d = con<num_filters,5,5,2,2,SUBNET>;
template <long num_filters, typename SUBNET> using con5  = con<num_filters,5,5,1,1,SUBNET>;
template <typename SUBNET> using downsampler  = relu<affine<con5d<32, relu<affine<con5d<32, relu<affine<con5d<16,SUBNET>>>>>>>>>;
template <typename SUBNET> using rcon5  = relu<affine<con5<45,SUBNET>>>;
using det_net_type = loss_mmod<con<1,9,9,1,1,rcon5<rcon5<rcon5<downsampler<input_rgb_image_pyramid<pyramid_down<6>>>>>>>>;

// ---- the face recognition network, as in dlib's dnn_face_recognition_ex.cpp -------------------
template <template <int,template<typename>class,int,typename> class block, int N, template<typename>class BN, typename SUBNET>
using residual = add_prev1<block<N,BN,1,tag1<SUBNET>>>;
template <template <int,template<typename>class,int,typename> class block, int N, template<typename>class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2,2,2,2,skip1<tag2<block<N,BN,2,tag1<SUBNET>>>>>>;
template <int N, template <typename> class BN, int stride, typename SUBNET>
using block  = BN<con<N,3,3,1,1,relu<BN<con<N,3,3,stride,stride,SUBNET>>>>>;
template <int N, typename SUBNET> using ares      = relu<residual<block,N,affine,SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block,N,affine,SUBNET>>;
template <typename SUBNET> using alevel0 = ares_down<256,SUBNET>;
template <typename SUBNET> using alevel1 = ares<256,ares<256,ares_down<256,SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128,ares<128,ares_down<128,SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64,ares<64,ares<64,ares_down<64,SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32,ares<32,ares<32,SUBNET>>>;
using anet_type = loss_metric<fc_no_bias<128,avg_pool_everything<
                            alevel0<alevel1<alevel2<alevel3<alevel4<
                            max_pool<3,3,2,2,relu<affine<con<32,7,7,2,2,
                            input_rgb_image_sized<150>
                            >>>>>>>>>>>>;

static void write_bytes(const std::string& path, const void* data, size_t n)
{
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), n);
    if (!out) throw std::runtime_error("cannot write " + path);
}

static void write_rgb(const std::string& path, const matrix<rgb_pixel>& img)
{
    std::vector<unsigned char> buf;
    buf.reserve(img.size() * 3);
    for (long r = 0; r < img.nr(); ++r)
        for (long c = 0; c < img.nc(); ++c)
        {
            buf.push_back(img(r, c).red);
            buf.push_back(img(r, c).green);
            buf.push_back(img(r, c).blue);
        }
    write_bytes(path, buf.data(), buf.size());
}

static std::string json_str(const std::string& s)
{
    std::ostringstream o;
    o << '"';
    for (char ch : s)
    {
        if (ch == '"' || ch == '\\') o << '\\' << ch;
        else o << ch;
    }
    o << '"';
    return o.str();
}

int main(int argc, char** argv)
{
    if (argc < 4)
    {
        std::cerr << "usage: dlib_reference MODELS_DIR OUT_DIR IMAGE...\n";
        return 2;
    }
    const std::string models = argv[1];
    const std::string outdir = argv[2];

    det_net_type det_net;
    deserialize(models + "/mmod_human_face_detector.dat") >> det_net;
    shape_predictor sp;
    deserialize(models + "/shape_predictor_5_face_landmarks.dat") >> sp;
    anet_type rec_net;
    deserialize(models + "/dlib_face_recognition_resnet_model_v1.dat") >> rec_net;

    std::ofstream js(outdir + "/reference.json");
    js << std::setprecision(9);
    js << "{\n  \"dlib_version\": \"" << DLIB_MAJOR_VERSION << "." << DLIB_MINOR_VERSION << "." << DLIB_PATCH_VERSION << "\",\n";
    js << "  \"images\": [\n";

    for (int i = 3; i < argc; ++i)
    {
        const int ii = i - 3;
        const std::string path = argv[i];
        matrix<rgb_pixel> img;
        load_image(img, path);
        const std::string base = outdir + "/img_" + std::to_string(ii);
        write_rgb(base + ".rgb", img);

        // The detector's input tensor and its pyramid layout.
        resizable_tensor tiled;
        det_net.to_tensor(&img, &img + 1, tiled);
        const auto rects = tiled.annotation().get<std::vector<rectangle>>();
        write_bytes(base + ".tiled.f32", tiled.host(), tiled.size() * sizeof(float));

        std::vector<mmod_rect> dets = det_net(img);   // adjust_threshold 0, as dlib's Python API
        const tensor& scores = det_net.subnet().get_output();
        write_bytes(base + ".scores.f32", scores.host(), scores.size() * sizeof(float));

        js << (ii ? ",\n" : "") << "    {\n      \"path\": " << json_str(path) << ",\n";
        js << "      \"width\": " << img.nc() << ", \"height\": " << img.nr() << ",\n";
        js << "      \"tiled_shape\": [" << tiled.k() << ", " << tiled.nr() << ", " << tiled.nc() << "],\n";
        js << "      \"score_shape\": [" << scores.k() << ", " << scores.nr() << ", " << scores.nc() << "],\n";
        js << "      \"pyramid_rects\": [";
        for (size_t k = 0; k < rects.size(); ++k)
            js << (k ? ", " : "") << "[" << rects[k].left() << ", " << rects[k].top() << ", "
               << rects[k].right() << ", " << rects[k].bottom() << "]";
        js << "],\n      \"faces\": [";

        std::vector<matrix<rgb_pixel>> chips;
        std::vector<full_object_detection> shapes;
        std::vector<chip_details> cds;
        for (auto& d : dets)
        {
            full_object_detection shape = sp(img, d.rect);
            chip_details cd = get_face_chip_details(shape, 150, 0.25);
            matrix<rgb_pixel> chip;
            extract_image_chip(img, cd, chip);
            shapes.push_back(shape);
            cds.push_back(cd);
            chips.push_back(std::move(chip));
        }
        // Extra probes for the shape predictor and the chip: each detection box moved and scaled.
        std::vector<rectangle> probe_boxes;
        for (auto& d : dets)
        {
            const long w = d.rect.width(), h = d.rect.height();
            const long cx = (d.rect.left() + d.rect.right()) / 2, cy = (d.rect.top() + d.rect.bottom()) / 2;
            const long dx = w / 10, dy = h / 10;
            probe_boxes.push_back(translate_rect(d.rect, point(-dx, 0)));
            probe_boxes.push_back(translate_rect(d.rect, point(dx, dy / 2)));
            probe_boxes.push_back(translate_rect(d.rect, point(0, -dy)));
            probe_boxes.push_back(centered_rect(point(cx, cy), w * 85 / 100, h * 85 / 100));
            probe_boxes.push_back(centered_rect(point(cx + dx / 2, cy - dy / 3), w * 6 / 5, h * 6 / 5));
            probe_boxes.push_back(centered_rect(point(cx, cy), w * 3 / 2, h * 7 / 5));
        }
        for (auto& b : probe_boxes)
        {
            full_object_detection shape = sp(img, b);
            chip_details cd = get_face_chip_details(shape, 150, 0.25);
            matrix<rgb_pixel> chip;
            extract_image_chip(img, cd, chip);
            shapes.push_back(shape);
            cds.push_back(cd);
            chips.push_back(std::move(chip));
        }
        std::vector<matrix<float,0,1>> descriptors;
        if (!chips.empty())
            descriptors = rec_net(chips);

        for (size_t j = 0; j < chips.size(); ++j)
        {
            const bool probe = j >= dets.size();
            const rectangle box = probe ? probe_boxes[j - dets.size()] : dets[j].rect;
            if (j == dets.size())
                js << (dets.empty() ? "" : "\n      ") << "],\n      \"probes\": [";
            const std::string fbase = base + (probe ? "_probe_" + std::to_string(j - dets.size()) : "_face_" + std::to_string(j));
            write_rgb(fbase + ".rgb", chips[j]);
            if (!probe)
                save_png(chips[j], fbase + ".png");
            js << ((probe ? j > dets.size() : j > 0) ? "," : "") << "\n        {\"box\": [" << box.left() << ", " << box.top() << ", "
               << box.right() << ", " << box.bottom() << "]";
            if (!probe)
                js << ", \"score\": " << std::setprecision(17) << dets[j].detection_confidence << std::setprecision(9);
            js << ",\n";
            js << "         \"landmarks\": [";
            for (unsigned long k = 0; k < shapes[j].num_parts(); ++k)
                js << (k ? ", " : "") << "[" << shapes[j].part(k).x() << ", " << shapes[j].part(k).y() << "]";
            js << "],\n         \"chip_details\": {\"rect\": [" << std::setprecision(17)
               << cds[j].rect.left() << ", " << cds[j].rect.top() << ", " << cds[j].rect.right() << ", "
               << cds[j].rect.bottom() << "], \"angle\": " << cds[j].angle << std::setprecision(9)
               << ", \"rows\": " << cds[j].rows << ", \"cols\": " << cds[j].cols << "},\n";
            js << "         \"descriptor\": [";
            for (long k = 0; k < descriptors[j].size(); ++k)
                js << (k ? ", " : "") << descriptors[j](k);
            js << "]}";
        }
        if (probe_boxes.empty())
            js << "],\n      \"probes\": [";
        js << (chips.empty() ? "" : "\n      ") << "]\n    }";
        std::cerr << path << ": " << dets.size() << " face(s)\n";
    }
    js << "\n  ]\n}\n";
    return 0;
}
