package dev.vlflow.pipeline.stream;

/**
 * Logging of interactive runs (slf4j-simple, to stderr): Flink's own chatter off (errors only), vlflow's session progress
 * on. Set before the first logger is made; a {@code -Dorg.slf4j.simpleLogger...} given by the user wins.
 */
public final class ConsoleLogging {

    private ConsoleLogging() {
    }

    public static void configure() {
        configure("error");
    }

    /** {@code --verbose}: every library's INFO lines too (DJL's engine line, Flink's job and checkpoint logs). */
    public static void configureVerbose() {
        configure("info");
    }

    private static void configure(String libraries) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", libraries);
        setIfAbsent("org.slf4j.simpleLogger.log.dev.vlflow", "info");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
