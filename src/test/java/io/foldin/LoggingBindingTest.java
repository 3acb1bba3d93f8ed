package io.foldin;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exactly one slf4j backend: slf4j-simple. Another binding would make slf4j pick one arbitrarily. */
class LoggingBindingTest {

    @Test
    void slf4jSimpleIsTheBackend() {
        assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
    }

    @Test
    void log4jApiCallsAreRoutedToSlf4j() {
        assertEquals("org.apache.logging.slf4j.SLF4JLoggerContextFactory",
                org.apache.logging.log4j.LogManager.getFactory().getClass().getName());
    }
}
