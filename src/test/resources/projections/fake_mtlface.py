"""Writes a stand-in for a user's MTLFace checkout and checkpoint, to test deploy/models/export_mtlface.py without
MTLFace's code: the same module layout and interface (python_package/mtlface/modules.py with MTLFace, its encoder's
encode/get_conditions, decoder.decoder and decoder.latent_avg, age_estimator), tiny layers, random weights. Its
package __init__ and its stylegan2/op fail on import, as a checkout does on a machine without the CUDA toolchain, so
the test also proves the exporter never runs them. Also checks the exporter's plain upfirdn2d against SciPy.

    /usr/bin/python3 fake_mtlface.py OUT_DIR    -> OUT_DIR/checkout/..., OUT_DIR/checkpoint.pth
"""
import os
import sys
import textwrap

import numpy as np
import torch

MODULES = '''
import torch
import torch.nn.functional as F
from torch import nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=4, padding=1)
        self.route = nn.Embedding(7, 8)
        self.fc = nn.Linear(8, 16)

    def encode(self, x):
        x_id = F.leaky_relu(self.conv(x), 0.2)
        x_vec = F.normalize(self.fc(x_id.mean(dim=(2, 3))), dim=1)
        return x_id, x_vec, x_id * 0.5, x_id, x_id, x_id

    def get_conditions(self, c1, c2, c3, x_id, conditions):
        return x_id.mean(dim=(2, 3)) + self.route(conditions)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        from .stylegan2.model import Generator
        self.decoder = Generator()
        self.register_buffer("latent_avg", torch.zeros(1, 8))


class AgeEstimator(nn.Module):
    def __init__(self):
        super().__init__()
        self.age = nn.Linear(8, 101)
        self.group = nn.Linear(101, 7)
        self.register_buffer("expectation", torch.arange(101).float())

    def forward(self, x_age):
        logits = self.age(x_age.mean(dim=(2, 3)))
        return (F.softmax(logits, dim=1) * self.expectation[None, :]).sum(dim=1), self.group(logits)


class MTLFace(nn.Module):
    def __init__(self):
        super().__init__()
        self.decoder = Decoder()
        self.encoder = Encoder()
        self.age_estimator = AgeEstimator()
'''

GENERATOR = '''
import torch
from torch import nn
from .op import FusedLeakyReLU, fused_leaky_relu, upfirdn2d


class Generator(nn.Module):
    """codes [B, 8] -> image [B, 3, 128, 128]: a constant map modulated by the codes, upsampled by upfirdn2d, with a
    stored noise buffer (used when randomize_noise=False)."""

    def __init__(self):
        super().__init__()
        self.const = nn.Parameter(torch.randn(1, 8, 16, 16))
        self.style = nn.Linear(8, 8)
        self.act = FusedLeakyReLU(8)
        self.to_rgb = nn.Conv2d(8, 3, 1)
        self.register_buffer("kernel", torch.tensor([[1., 3., 3., 1.]]).T @ torch.tensor([[1., 3., 3., 1.]]) / 16)
        self.noises = nn.Module()
        self.noises.register_buffer("noise_0", torch.randn(1, 1, 128, 128))

    def forward(self, styles, input_is_latent=False, randomize_noise=True):
        codes = styles[0]
        x = self.const * self.style(codes).view(-1, 8, 1, 1)
        x = self.act(x)
        for _ in range(3):
            x = upfirdn2d(x, self.kernel * 4, up=2, down=1, pad=(2, 1))
        noise = torch.randn_like(x[:, :1]) if randomize_noise else self.noises.noise_0
        x = fused_leaky_relu(x + 0.1 * noise, self.act.bias) 
        return torch.tanh(self.to_rgb(x)), None
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))


def check_upfirdn2d():
    """The exporter's upfirdn2d against SciPy's upfirdn, row then column, for a separable kernel."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "deploy", "models"))
    import export_mtlface
    from scipy.signal import upfirdn
    k = np.array([1.0, 3.0, 3.0, 1.0])
    x = np.random.default_rng(1).standard_normal((5, 6))
    for up, down in ((2, 1), (1, 2), (1, 1)):
        want = np.array([upfirdn(k, row, up, down) for row in x])
        want = np.array([upfirdn(k, col, up, down) for col in want.T]).T
        got = export_mtlface.upfirdn2d(torch.tensor(x)[None, None], torch.tensor(np.outer(k, k)), up=up, down=down,
                                       pad=(len(k) - 1, len(k) - 1))[0, 0].numpy()
        n = min(want.shape[0], got.shape[0]), min(want.shape[1], got.shape[1])
        err = np.abs(want[:n[0], :n[1]] - got[:n[0], :n[1]]).max()
        assert err < 1e-9, f"upfirdn2d up={up} down={down} differs from SciPy by {err}"


def main(out):
    check_upfirdn2d()
    root = os.path.join(out, "checkout", "python_package", "mtlface")
    write(os.path.join(root, "__init__.py"), "raise ImportError('the demo package needs MTCNN weights from the network')\n")
    write(os.path.join(root, "modules.py"), MODULES)
    write(os.path.join(root, "stylegan2", "__init__.py"), "")
    write(os.path.join(root, "stylegan2", "model.py"), GENERATOR)
    write(os.path.join(root, "stylegan2", "op", "__init__.py"),
          "raise ImportError('compiling fused_bias_act_kernel.cu needs nvcc')\n")
    sys.path.insert(0, os.path.join(out, "checkout", "python_package"))
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "deploy", "models"))
    import export_mtlface
    modules = export_mtlface.import_checkout(os.path.join(out, "checkout"))
    torch.manual_seed(3)
    torch.save(modules.MTLFace().state_dict(), os.path.join(out, "checkpoint.pth"))


if __name__ == "__main__":
    main(sys.argv[1])
