package io.headcount.agent.bootstrap;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the matched route templates of a Jersey (JAX-RS) request and keeps them in the request's
 * {@value RouteTemplates#ATTRIBUTE} property, which in Jersey's servlet container is a servlet
 * request attribute: the servlet advice reads it when the request ends.
 *
 * <p>Called first thing in Jersey's resource method invoker (a call the agent weaves in), with
 * Jersey's request processing context. The agent links against no Jersey class: the few public methods it needs
 * ({@code request()}, {@code getUriInfo().getMatchedTemplates()}, {@code getTemplate()},
 * {@code getBaseUri()}, {@code get/setProperty}) are found once per class, by reflection on their
 * public declaring types.
 */
public final class JerseyRoutes {
    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<Accessors>() {
        @Override
        protected Accessors computeValue(Class<?> contextType) {
            return Accessors.of(contextType);
        }
    };
    private static final ClassValue<Method> GET_TEMPLATE = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> templateType) {
            try {
                return templateType.getMethod("getTemplate");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private JerseyRoutes() {
    }

    /** Called when Jersey is about to invoke the resource method of a matched request. Never throws. */
    public static void matched(Object processingContext) {
        try {
            // Inside the try: the call woven into Jersey's invoker has no handler of its own.
            if (processingContext == null || !HeadcountSink.active()) {
                return;
            }
            Accessors accessors = ACCESSORS.get(processingContext.getClass());
            if (accessors == null) {
                return;
            }
            Object request = accessors.request.invoke(processingContext);
            if (request == null || accessors.getProperty.invoke(request, RouteTemplates.ATTRIBUTE) != null) {
                return;
            }
            List<?> matched = (List<?>) accessors.getMatchedTemplates.invoke(accessors.getUriInfo.invoke(request));
            List<String> templates = new ArrayList<>(matched.size());
            for (Object template : matched) {
                Method getTemplate = template == null ? null : GET_TEMPLATE.get(template.getClass());
                if (getTemplate != null) {
                    templates.add((String) getTemplate.invoke(template));
                }
            }
            URI base = (URI) accessors.getBaseUri.invoke(request);
            accessors.setProperty.invoke(request, RouteTemplates.ATTRIBUTE,
                    RouteTemplates.joinJaxRs(base == null ? "" : base.getRawPath(), templates));
        } catch (Throwable t) {
            HeadcountSink.adviceFailed(t);
        }
    }

    /** The reflective path from one processing-context class to the request and its templates. */
    private static final class Accessors {
        final Method request;
        final Method getUriInfo;
        final Method getMatchedTemplates;
        final Method getBaseUri;
        final Method getProperty;
        final Method setProperty;

        private Accessors(Method request, Method getUriInfo, Method getMatchedTemplates, Method getBaseUri,
                          Method getProperty, Method setProperty) {
            this.request = request;
            this.getUriInfo = getUriInfo;
            this.getMatchedTemplates = getMatchedTemplates;
            this.getBaseUri = getBaseUri;
            this.getProperty = getProperty;
            this.setProperty = setProperty;
        }

        /** @return null when the class does not have Jersey's shape (a version we do not know) */
        static Accessors of(Class<?> contextType) {
            try {
                Method request = contextType.getMethod("request");
                // Declared types, not runtime classes: those may be non-public implementations.
                Class<?> requestType = request.getReturnType();
                Method getUriInfo = requestType.getMethod("getUriInfo");
                return new Accessors(request, getUriInfo,
                        getUriInfo.getReturnType().getMethod("getMatchedTemplates"),
                        requestType.getMethod("getBaseUri"),
                        requestType.getMethod("getProperty", String.class),
                        requestType.getMethod("setProperty", String.class, Object.class));
            } catch (NoSuchMethodException | RuntimeException e) {
                HeadcountSink.adviceFailed(e);
                return null;
            }
        }
    }
}
