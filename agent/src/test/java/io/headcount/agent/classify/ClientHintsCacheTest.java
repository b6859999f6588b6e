package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.headcount.testsupport.HostileInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The worker's remembered hints must answer as {@link ClientHints} reads them afresh, whatever the fields. */
class ClientHintsCacheTest {
    private final UserAgentClassifier userAgents = new UserAgentClassifier();
    private final UserAgentInfo[] infos = {
        userAgents.classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/131.0.0.0 Safari/537.36"),
        userAgents.classify("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/139.0.0.0 Mobile Safari/537.36"),
        userAgents.classify("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        userAgents.classify("curl/8.5.0"),
    };

    @Test
    void answersAsTheHintsReadAfreshForFarMoreSetsThanSlots() {
        String[] brands = {"Google Chrome", "Chromium", "Microsoft Edge", "Opera", "Brave", "Android WebView",
            "Not_A Brand", "Not)A;Brand", "Samsung Internet", "YaBrowser"};
        String[] platforms = {null, "", "\"Windows\"", "\"macOS\"", "\"Android\"", "\"Linux\"", "\"Unknown\"", "\"Fuchsia\"",
            "Windows", "\"Chrome OS\""};
        String[] mobiles = {null, "", "?0", "?1", "?2", "1", "?1;x=1"};
        SplittableRandom random = new SplittableRandom(0xc11e_4750L);
        List<String[]> sets = new ArrayList<>();
        for (int i = 0; i < ClientHintsCache.SLOTS * 6; i++) {
            StringBuilder list = new StringBuilder();
            int members = random.nextInt(5);
            for (int m = 0; m < members; m++) {
                list.append(m == 0 ? "" : ", ").append('"').append(brands[random.nextInt(brands.length)])
                        .append("\";v=\"").append(90 + random.nextInt(60)).append('"');
            }
            sets.add(new String[] {random.nextInt(10) == 0 ? null : list.toString(),
                mobiles[random.nextInt(mobiles.length)], platforms[random.nextInt(platforms.length)]});
        }
        for (String hostile : HostileInputs.strings(0xc11eL, 200)) {
            sets.add(new String[] {hostile, hostile, hostile});
            sets.add(new String[] {hostile, "?1", "\"Android\""});
        }
        ClientHintsCache cache = new ClientHintsCache();
        for (int pass = 0; pass < 3; pass++) {
            for (String[] set : sets) {
                for (UserAgentInfo info : infos) {
                    // New strings each time, as each request brings them.
                    String brandList = set[0] == null ? null : new String(set[0]);
                    assertEquals(ClientHints.apply(info, set[0], set[1], set[2]).toString(),
                            cache.apply(info, brandList, set[1], set[2]).toString(),
                            () -> info + " with " + String.join(" | ", String.valueOf(set[0]), set[1], set[2]));
                }
            }
        }
    }

    @Test
    void fieldsWithTheSameHashAreToldApart() {
        ClientHintsCache cache = new ClientHintsCache();
        String chrome = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\"";
        assertEquals("?1".hashCode(), "@\u0012".hashCode());
        assertEquals("browser/Chrome/Windows/mobile", cache.apply(infos[0], chrome, "?1", "\"Windows\"").toString());
        assertEquals("browser/Chrome/Windows/desktop", cache.apply(infos[0], chrome, "@\u0012", "\"Windows\"").toString());
        assertEquals("\"Linux\"".hashCode(), "\"LinvY\"".hashCode());
        assertEquals("browser/Chrome/Linux/desktop", cache.apply(infos[0], chrome, "?0", "\"Linux\"").toString());
        assertEquals("browser/Chrome/unknown/desktop", cache.apply(infos[0], chrome, "?0", "\"LinvY\"").toString());
    }

    @Test
    void leavesClassesAloneWhereTheHintsChangeNothing() {
        ClientHintsCache cache = new ClientHintsCache();
        String chrome = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";
        assertSame(infos[0], cache.apply(infos[0], chrome, "?0", "\"Windows\""));
        assertSame(infos[0], cache.apply(infos[0], new String(chrome), "?0", "\"Windows\""));
        assertSame(infos[2], cache.apply(infos[2], chrome, "?1", "\"Android\""));
        assertEquals("browser/Chrome/Android/tablet", cache.apply(infos[1], chrome, "?0", "\"Android\"").toString());
        assertEquals("browser/Edge/Windows/desktop",
                cache.apply(infos[0], "\"Microsoft Edge\";v=\"131\", \"Chromium\";v=\"131\"", "?0", "\"Windows\"").toString());
    }
}
