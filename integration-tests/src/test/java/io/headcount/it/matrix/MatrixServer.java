package io.headcount.it.matrix;

/** The servers of the container matrix: each a module under {@code matrix/} with one runnable jar. */
enum MatrixServer {
    TOMCAT_9("Tomcat 9", "tomcat9", "javax", Flavor.SERVLET),
    TOMCAT_10("Tomcat 10.1", "tomcat10", "jakarta", Flavor.SERVLET),
    TOMCAT_11("Tomcat 11", "tomcat11", "jakarta", Flavor.SERVLET),
    JETTY_9("Jetty 9.4", "jetty9", "javax", Flavor.SERVLET),
    JETTY_12("Jetty 12 (ee10)", "jetty12", "jakarta", Flavor.SERVLET),
    UNDERTOW("Undertow 2.3", "undertow", "jakarta", Flavor.SERVLET),
    JERSEY("Jersey on Tomcat 11", "jersey", "jakarta", Flavor.JAX_RS),
    SPRING_BOOT_3("Spring Boot 3.5", "spring-boot3", "jakarta", Flavor.SPRING_MVC),
    SPRING_BOOT_4("Spring Boot 4.0", "spring-boot4", "jakarta", Flavor.SPRING_MVC);

    /** Whether its servlet container is Tomcat (embedded by Jersey's app and Spring Boot too). */
    boolean onTomcat() {
        return this != JETTY_9 && this != JETTY_12 && this != UNDERTOW;
    }

    /** How the app serves its API, which decides some answers and every route template. */
    enum Flavor {
        /** Plain servlets: endpoints come from the path rules. */
        SERVLET("plain servlets"),
        /** Spring MVC controllers: endpoints are Spring's route templates. */
        SPRING_MVC("Spring MVC"),
        /** JAX-RS resources: endpoints are the matched templates. */
        JAX_RS("JAX-RS");

        final String title;

        Flavor(String title) {
            this.title = title;
        }
    }

    final String title;
    final String module;
    final String namespace;
    final Flavor flavor;

    MatrixServer(String title, String module, String namespace, Flavor flavor) {
        this.title = title;
        this.module = module;
        this.namespace = namespace;
        this.flavor = flavor;
    }
}
