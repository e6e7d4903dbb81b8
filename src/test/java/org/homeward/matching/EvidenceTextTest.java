package org.homeward.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EvidenceTextTest {

    @Test
    void ratiosReadAsPeopleSayThem() {
        assertEquals("3.2", EvidenceText.ratio(3.21));
        assertEquals("47", EvidenceText.ratio(47.4));
        assertEquals("2,500", EvidenceText.ratio(2534));
        assertEquals("1 in 40", EvidenceText.ratio(1 / 40.0));
        assertEquals("n/a", EvidenceText.ratio(0));
    }
}
