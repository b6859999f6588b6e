package io.headcount.it.harness;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * One client of the app under test: its User-Agent, its address (sent in {@code X-Forwarded-For},
 * which the agent believes from a loopback peer), its Referer and what it asks for, each request
 * written {@code "METHOD /path"}. A POST carries a small JSON body.
 */
public record Visit(String userAgent, String address, String referer, List<String> requests) {
    /** As the referer: a page of the app itself ({@code /index.html}). */
    public static final String INTERNAL = "internal";

    public Visit(String userAgent, String address, String referer, String... requests) {
        this(userAgent, address, referer, List.of(requests));
    }

    /** Sends every request of every visit, in order, and hands each request with its status to {@code answered}. */
    public static void sendAll(List<Visit> visits, AppProcess app, BiConsumer<String, Integer> answered) {
        Http http = new Http();
        for (Visit visit : visits) {
            for (String request : visit.requests()) {
                String[] methodAndPath = request.split(" ", 2);
                Http.Request call = http.request(methodAndPath[0], app.url(methodAndPath[1]))
                        .userAgent(visit.userAgent())
                        .forwardedFor(visit.address())
                        .referer(INTERNAL.equals(visit.referer()) ? app.url("/index.html") : visit.referer());
                if (methodAndPath[0].equals("POST")) {
                    call.body("{\"items\":2}");
                }
                answered.accept(request, call.status());
            }
        }
    }
}
