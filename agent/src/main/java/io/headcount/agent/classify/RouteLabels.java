package io.headcount.agent.classify;

/**
 * The endpoint labels of route templates, remembered by context path and route. Not thread-safe:
 * the worker owns it.
 *
 * <p>In an app whose framework names its routes (Spring MVC, Jersey), nearly every request carries
 * one of the app's few templates, and working its label out again (trimming, splitting, joining
 * and bounding the template) cost the worker about 0.5 us per request on a two-vCPU VM where all its
 * other steps took about 1 us. A template's label depends on nothing else
 * ({@link EndpointNormalizer#templateLabel}), so each is worked out once while it stays here. The
 * routes come from the app's own mappings, never from the client, and the table has a fixed number
 * of slots: a route whose slot another took is worked out again, never kept beside it.
 */
public final class RouteLabels {
    /** Apps have tens to hundreds of routes; one slot per route at the usual count. */
    static final int SLOTS = 512;
    /** Stands for "not a real template" in a slot, so that a catch-all route is not examined again. */
    private static final String NOT_A_TEMPLATE = new String("not a template");

    private final String[] contexts = new String[SLOTS];
    private final String[] routes = new String[SLOTS];
    private final String[] labels = new String[SLOTS];

    /**
     * @param context the resolved context path, "" for the root
     * @param route the framework's route, relative to the context, or null
     * @return what {@link EndpointNormalizer#templateLabel} gives for them: the label, or null when
     *     the route is null or not a real template
     */
    public String labelOf(String context, String route) {
        if (route == null) {
            return null;
        }
        String base = context == null ? "" : context;
        int hash = route.hashCode() * 31 + base.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String label = labels[slot];
        if (label == null || !route.equals(routes[slot]) || !base.equals(contexts[slot])) {
            String worked = EndpointNormalizer.templateLabel(base, route);
            label = worked == null ? NOT_A_TEMPLATE : worked;
            contexts[slot] = base;
            routes[slot] = route;
            labels[slot] = label;
        }
        return label == NOT_A_TEMPLATE ? null : label;
    }
}
