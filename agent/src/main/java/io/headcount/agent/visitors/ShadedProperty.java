package io.headcount.agent.visitors;

/**
 * A system property of one of the agent's shaded libraries, set only while the class that reads it
 * initializes. The shade plugin relocates property names with the libraries' packages, so only the
 * agent's copy reads it; it is cleared at once, so the app's system properties are left as they
 * were. A value the operator gave on the command line is kept, and the library obeys it.
 */
final class ShadedProperty {
    private ShadedProperty() {
    }

    /**
     * Runs {@code initialization}, which must make the library read {@code property}, with the
     * property set to {@code value}, unless the operator set it. Idempotent, as class
     * initialization is.
     */
    static synchronized void initializeWith(String property, String value, Runnable initialization) {
        try {
            if (System.getProperty(property) != null) {
                return;
            }
            System.setProperty(property, value);
            try {
                initialization.run();
            } finally {
                System.clearProperty(property);
            }
        } catch (SecurityException refused) {
            // A security manager that refuses property writes leaves the library its default: a cost, not a fault.
        }
    }
}
