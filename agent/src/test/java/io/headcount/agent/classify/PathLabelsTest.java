package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.HostileInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PathLabelsTest {
    @Test
    void givesThePathsLabelAsTheCapKeepsIt() {
        PathLabels labels = new PathLabels(new LabelCap(200, EndpointNormalizer.NOT_FOUND));
        String users = labels.admit("/api/users/42");
        assertEquals("/api/users/{id}", users);
        assertSame(users, labels.admit("/api/users/7"));
        assertSame(users, labels.admit("/api/users/{id}"));
        assertEquals("/", labels.admit("/"));
        assertEquals("/cart/", labels.admit("/cart/"));
        assertEquals("/api/orders/{id}/lines/{id}",
                labels.admit("/api/orders/" + new UUID(1, 2) + "/lines/0123456789abcdef"));
        assertEquals("/a/%0A/%7F", labels.admit("/a/\n/\u007f"));
        assertEquals("/{id}".repeat(15) + "/{more}", labels.admit("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17"));
        assertEquals("/" + "z".repeat(192) + "/{more}", labels.admit("/" + "z".repeat(250)));
    }

    @Test
    void pathsWhoseLabelsShareAHashAreToldApart() {
        PathLabels labels = new PathLabels(new LabelCap(200));
        assertEquals("/Aa".hashCode(), "/BB".hashCode());
        String aa = labels.admit("/Aa");
        assertEquals("/Aa", aa);
        assertEquals("/BB", labels.admit("/BB"));
        assertEquals("/Aa", labels.admit("/Aa"));
        assertEquals("/{id}".hashCode(), labels.admit("/12").hashCode());
        assertEquals("/{id}", labels.admit("/{id}"));
        // A segment whose text hashes as the ID's does is not the ID.
        assertEquals("{id}".hashCode(), "|Jd}".hashCode());
        assertEquals("/|Jd}", labels.admit("/|Jd}"));
        assertEquals("/{id}", labels.admit("/12"));
        assertEquals("/|Jd}", labels.admit("/|Jd}"));
    }

    @Test
    void aLabelTheCapRefusedIsOtherEveryTimeAndNotKept() {
        LabelCap cap = new LabelCap(1);
        PathLabels labels = new PathLabels(cap);
        assertEquals("/a/{id}", labels.admit("/a/1"));
        assertEquals(LabelCap.OTHER, labels.admit("/b/1"));
        assertEquals(LabelCap.OTHER, labels.admit("/b/2"));
        assertEquals("/a/{id}", labels.admit("/a/2"));
        assertTrue(cap.reached());
        assertEquals(1, cap.size());
    }

    /**
     * Far more paths than slots, generated and hostile, each labelled twice: every answer is what
     * the cap gives the normalizer's label, with the cap beside it seeing the same labels, so that
     * the cap's own decisions (a small one fills) are compared too.
     */
    @Test
    void answersAsTheCapGivenTheNormalizersLabel() {
        List<String> paths = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(0x9a7b_1abe15L);
        String[] words = {"api", "users", "orders", "v1", "", "Aa", "BB", "{id}", "x\ty", "ü", "%2F", "{more}"};
        for (int i = 0; i < PathLabels.SLOTS * 8; i++) {
            StringBuilder path = new StringBuilder();
            int segments = random.nextInt(20);
            for (int s = 0; s < segments; s++) {
                path.append('/');
                switch (random.nextInt(5)) {
                    case 0:
                        path.append(random.nextInt(1_000_000));
                        break;
                    case 1:
                        path.append(new UUID(random.nextLong(), random.nextLong()));
                        break;
                    case 2:
                        path.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
                        break;
                    default:
                        path.append(words[random.nextInt(words.length)]);
                        break;
                }
            }
            paths.add(path.length() == 0 ? "/" : path.toString());
        }
        for (String hostile : HostileInputs.strings(0x9a7b_1abe16L, 300)) {
            paths.add(hostile);
            paths.add("/" + hostile);
            String resolved = RequestPaths.resolve("/api/" + hostile);
            if (resolved != null) {
                paths.add(resolved);
            }
        }
        for (int max : new int[] {50, 100_000}) {
            LabelCap beside = new LabelCap(max, EndpointNormalizer.NOT_FOUND);
            PathLabels labels = new PathLabels(new LabelCap(max, EndpointNormalizer.NOT_FOUND));
            for (int pass = 0; pass < 2; pass++) {
                for (String path : paths) {
                    assertEquals(beside.admit(EndpointNormalizer.pathLabel(path)), labels.admit(path), path);
                }
            }
            assertFalse(max == 50 && !beside.reached());
        }
    }
}
