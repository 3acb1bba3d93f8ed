package io.foldin.cli;

import io.foldin.stream.replay.CatalogProducer;
import io.foldin.stream.replay.ReplayReport;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code replay}'s final report: the figures on stdout (a line, or one JSON object with {@code --json}),
 * and on stderr one line that says why it stopped early and what to check.
 */
final class ReplayOutput {
    private final String topic;
    private final double rate;
    private final String bootstrapServers;
    private final long deliveryTimeoutMs;

    ReplayOutput(String topic, double rate, String bootstrapServers, long deliveryTimeoutMs) {
        this.topic = topic;
        this.rate = rate;
        this.bootstrapServers = bootstrapServers;
        this.deliveryTimeoutMs = deliveryTimeoutMs;
    }

    /** @param interrupted stopped by Ctrl-C / SIGTERM (the report's stop is then "interrupted") */
    void print(ReplayReport r, CatalogProducer.Report items, boolean interrupted, boolean json) {
        String stop = interrupted ? "interrupted" : r.stop().code();
        PrintStream out = System.out;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events", r.delivered());
            m.put("attempted", r.attempted());
            m.put("seconds", r.seconds());
            m.put("events_per_second", r.eventsPerSecond());
            m.put("bytes", r.bytes());
            m.put("errors", r.errors());
            m.put("stopped", r.stopped() || interrupted);
            m.put("stop", stop);
            m.put("first_error", r.firstError());
            m.put("topic", topic);
            m.put("rate", rate);
            if (items != null) {
                m.put("items", items.delivered());
                m.put("items_seconds", items.seconds());
            }
            out.println(Json.write(m));
        } else {
            out.printf(Locale.ROOT, "%,d events to %s in %.1f s (%,.0f ev/s, %,d bytes), %,d errors%s%n",
                    r.delivered(), topic, r.seconds(), r.eventsPerSecond(), r.bytes(), r.errors(),
                    r.stopped() || interrupted ? ", stopped early: " + stop : "");
        }
        out.flush();
        String why = explain(r, interrupted);
        if (why != null) {
            System.err.println("replay: " + why);
        }
        if (r.firstError() != null) {
            System.err.println("replay: first error: " + r.firstError());
        }
    }

    /** One line on why the replay stopped before the end, null when it did not. */
    private String explain(ReplayReport r, boolean interrupted) {
        long notDelivered = r.attempted() - r.delivered();
        if (interrupted) {
            return String.format(Locale.ROOT, "interrupted after %,d events: %,d delivered, %,d not delivered",
                    r.attempted(), r.delivered(), notDelivered);
        }
        boolean timedOut = r.stop() == ReplayReport.Stop.DELIVERY_TIMED_OUT || (r.stop() == ReplayReport.Stop.SEND_REFUSED
                && r.firstError() != null && r.firstError().contains("TimeoutException"));
        if (timedOut) {
            return String.format(Locale.ROOT, "Kafka at %s did not acknowledge events within the delivery timeout "
                    + "(%,d ms), stopped sending: %,d of %,d events not delivered. Check that the brokers run, that "
                    + "their advertised listeners are reachable from here and that topic %s has leaders; "
                    + "--delivery-timeout-ms waits longer", bootstrapServers, deliveryTimeoutMs, notDelivered,
                    r.attempted(), topic);
        }
        if (r.stop() == ReplayReport.Stop.SEND_REFUSED) {
            return "the producer refused a send, stopped sending to " + bootstrapServers;
        }
        return null;
    }
}
