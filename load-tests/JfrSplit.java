import jdk.jfr.consumer.*;
import java.nio.file.*;
import java.util.*;

/** load-tests/JfrSplit.java: `java load-tests/JfrSplit.java rec.jfr`. Groups jdk.ExecutionSample by thread kind and, for stream threads, by side and the first category found in the stack. */
public class JfrSplit {
    static String[][] CATS = {
        {"solve", "AugmentedSolver", "Cholesky", "solve"},
        {"stats change (G,h rank-1)", "SufficientStats.change", "SufficientStats.add", "PackedGram"},
        {"state encode/write", "StatsStore.write", "EntityState.encode", "StatsStore.beforeCommit", "StatsStore.writeIdle"},
        {"state decode", "EntityState.decode"},
        {"user-ratings store", "RatingsStore"},
        {"rated items", "RatedItems", "ItemSet"},
        {"outbox/bundle write", "ItemUpdateBundle$Buffers", "ItemUpdateBundle.write", "Outbox"},
        {"bundle read", "ItemUpdateBundle$Reader"},
        {"factor record encode", "FactorRecord"},
        {"parse", "RatingEventParser"},
        {"metrics", "io.foldin.metrics"},
        {"item factor lookup", "LiveModel.itemFactor", "RowIndex"},
        {"rocksdb", "org.rocksdb"},
        {"produce/send", "RecordCollectorImpl.send", "KafkaProducer"},
        {"commit", "commit", "Commit"},
        {"poll/deserialise", "poll", "addRecordsToTasks", "RecordQueue", "Deserializer"},
    };
    public static void main(String[] a) throws Exception {
        Map<String, Integer> kinds = new TreeMap<>(), cats = new HashMap<>(), tops = new HashMap<>();
        int total = 0, stream = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            total++;
            RecordedThread t = e.getThread("sampledThread");
            String tn = t == null ? "?" : String.valueOf(t.getJavaName());
            String k = kind(tn);
            kinds.merge(k, 1, Integer::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null) continue;
            List<String> fr = new ArrayList<>();
            for (RecordedFrame f : st.getFrames()) {
                RecordedMethod m = f.getMethod();
                fr.add(m.getType().getName() + "." + m.getName());
            }
            if (a.length > 1 && k.equals("stream threads") == false) {
                tops.merge(k + " | " + (fr.isEmpty() ? "?" : fr.get(0)), 1, Integer::sum);
            }
            if (!k.equals("stream threads")) continue;
            stream++;
            String all = String.join("\n", fr);
            String side = all.contains("UserFoldIn") ? "user" : all.contains("ItemFoldIn") ? "item" : "streams";
            String c = "other";
            outer:
            for (String[] cat : CATS)
                for (int i = 1; i < cat.length; i++)
                    for (String f : fr)
                        if (f.contains(cat[i])) { c = cat[0]; break outer; }
            cats.merge(side + " / " + c, 1, Integer::sum);
            if (a.length == 1) tops.merge(fr.isEmpty() ? "?" : fr.get(0), 1, Integer::sum);
        }
        System.out.println("samples " + total);
        final int tt = total;
        kinds.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
            .forEach(x -> System.out.printf("  %-28s %5.1f%%%n", x.getKey(), 100.0 * x.getValue() / tt));
        final int ss = stream;
        System.out.println("stream threads (" + stream + " samples) by side / category:");
        cats.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
            .forEach(x -> System.out.printf("  %-44s %5.1f%%%n", x.getKey(), 100.0 * x.getValue() / ss));
        System.out.println("top frames:");
        tops.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(30)
            .forEach(x -> System.out.printf("  %5.1f%% %s%n", 100.0 * x.getValue() / (a.length > 1 ? tt : ss), x.getKey()));
    }
    static String kind(String t) {
        if (t.contains("GlobalStreamThread")) return "global thread";
        if (t.contains("StreamThread")) return "stream threads";
        if (t.contains("producer-network")) return "producer I/O";
        if (t.contains("request-handler")) return "broker request handlers";
        if (t.contains("network-thread") || t.contains("data-plane") || t.contains("Acceptor")) return "broker network";
        if (t.contains("log-cleaner") || t.contains("kafka") || t.contains("Kafka") || t.contains("Log") || t.contains("Raft") || t.contains("broker")) return "broker other";
        if (t.contains("vert.x")) return "http";
        if (t.contains("C2") || t.contains("C1")) return "jit";
        return "other";
    }
}
