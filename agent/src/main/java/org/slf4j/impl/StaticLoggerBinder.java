package org.slf4j.impl;

import io.headcount.agent.log.LibraryLogger;
import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The SLF4J 1.7 binding of the agent's own (shaded) SLF4J, which Lettuce, Netty and Reactor log
 * through: their lines go to the agent's log. Without a binding SLF4J prints its three-line
 * "Failed to load class org.slf4j.impl.StaticLoggerBinder" banner into the app's output. The
 * shade plugin relocates this class with SLF4J, so the app's own SLF4J never sees it.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {
    /** The SLF4J API version this binding is written for; SLF4J reads the field. */
    public static String REQUESTED_API_VERSION = "1.6.99";

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();
    private final ILoggerFactory factory = LibraryLogger::new;

    private StaticLoggerBinder() {
    }

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return LibraryLogger.class.getName();
    }
}
