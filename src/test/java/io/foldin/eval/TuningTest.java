package io.foldin.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.Split;
import io.foldin.model.AlsParams;
import io.foldin.model.SweepSolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue #24: the search space, the folds, and k-fold scores equal to a loop of evaluations by hand. */
class TuningTest {
    static RatingLog slice;

    /** The first 15,000 ratings of ml-latest-small (about 100 users): seconds, not minutes. */
    @BeforeAll
    static void load() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/main/resources/ml-latest-small/ratings.csv"));
        Path file = Files.createTempFile("tuning-slice", ".csv");
        Files.write(file, lines.subList(0, 15_001));
        slice = RatingsReader.load(file);
        Files.delete(file);
    }

    @Test
    void valuesParseListsAndRanges() {
        SearchSpace s = SearchSpace.parse("2,5:20:5", "1", "5:30:5", "0.1:0.3:0.1");
        assertEquals(List.of(2, 5, 10, 15, 20), s.factors());
        assertEquals(List.of(5.0, 10.0, 15.0, 20.0, 25.0, 30.0), s.tau());
        assertEquals(List.of(0.1, 0.2, 0.3), s.gamma(), "decimal steps, no 0.30000000000000004");
        assertEquals(List.of(10.0, 15.0), SearchSpace.parse("1", "1", "10,15,10,15.0", "1").tau(), "distinct");
        for (String[] bad : new String[][] {{"2.5", "1", "1", "1"}, {"2", "1", "0", "1"}, {"2", "1", "5:1:1", "1"},
            {"2", "1", "1:5:0", "1"}, {"2", "x", "1", "1"}, {"2", "1", "1:2", "1"}, {"-1", "1", "1", "1"},
            {"2", "0", "1", "1"}, {"2", "1", "1", ""}}) {
            assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(bad[0], bad[1], bad[2], bad[3]),
                    String.join(" ", bad));
        }
    }

    @Test
    void gridEnumeratesTheProduct() {
        SearchSpace s = SearchSpace.parse("2,3", "1,2", "5:15:5", "1,3");
        List<AlsParams> grid = s.grid();
        assertEquals(2 * 2 * 3 * 2, grid.size());
        assertEquals(grid.size(), new HashSet<>(grid).size(), "no setting twice");
        for (int f : s.factors()) {
            for (double l : s.lambda()) {
                for (double t : s.tau()) {
                    for (double g : s.gamma()) {
                        assertTrue(grid.contains(new AlsParams(f, l, t, g)), f + " " + l + " " + t + " " + g);
                    }
                }
            }
        }
        assertEquals(new AlsParams(2, 1, 5, 1), grid.get(0), "D outermost, then lambda, tau, gamma");
        assertEquals(new AlsParams(2, 1, 5, 3), grid.get(1));
    }

    @Test
    void randomSearchIsReproducibleBySeed() {
        SearchSpace s = SearchSpace.parse("2:20:2", "1", "5:30:5", "1,3,10");
        List<AlsParams> a = s.random(12, 7);
        assertEquals(a, s.random(12, 7), "same seed, same draw");
        assertNotEquals(a, s.random(12, 8), "another seed, another draw");
        assertEquals(12, new HashSet<>(a).size(), "distinct settings");
        assertTrue(s.grid().containsAll(a));
        assertEquals(s.grid(), s.random(10_000, 7), "more trials than settings: the whole grid");
    }

    @Test
    void foldsPartitionTheRowsAndAreSeeded() {
        List<Split.TrainTest> folds = Tuning.folds(slice, 3, 42);
        Set<String> held = new HashSet<>();
        int heldTotal = 0;
        for (Split.TrainTest f : folds) {
            assertEquals(slice.size(), f.train().size() + f.test().size());
            assertTrue(Math.abs(f.test().size() - slice.size() / 3) <= 1, "near-equal folds");
            heldTotal += f.test().size();
            held.addAll(rows(f.test()));
        }
        assertEquals(slice.size(), heldTotal);
        assertEquals(slice.size(), held.size(), "every row held out exactly once");
        assertEquals(rows(folds.get(1).test()), rows(Tuning.folds(slice, 3, 42).get(1).test()));
        assertNotEquals(rows(folds.get(1).test()), rows(Tuning.folds(slice, 3, 43).get(1).test()));
    }

    /** The "done means": k-fold scores equal a loop of evaluations on the same folds, by hand. */
    @Test
    void kFoldScoresEqualAByHandLoopOfEvaluations() throws Exception {
        RatingLog train = Split.parse("random:0.1", slice, 42).train();
        List<AlsParams> settings = SearchSpace.parse("3,6", "1", "10,20", "3").grid();
        Tuning.Plan plan = new Tuning.Plan(ModelKind.BIASED, settings, 3, 0, 4, 42, SweepSolver.CHOLESKY, 2, null, 0);
        Tuning.Result result = Tuning.search(train, plan, null);

        List<Split.TrainTest> folds = Tuning.folds(train, 3, 42);
        double bestRmse = Double.POSITIVE_INFINITY;
        AlsParams best = null;
        for (int s = 0; s < settings.size(); s++) {
            double sum = 0;
            for (int f = 0; f < folds.size(); f++) {
                Evaluation.Result byHand = Evaluation.run(folds.get(f).train(), folds.get(f).test(), null, 0,
                        new Evaluation.Options(ModelKind.BIASED, settings.get(s), 4, 1, 42, SweepSolver.CHOLESKY), null);
                Tuning.Trial t = result.trials().get(s);
                assertEquals(settings.get(s), t.params());
                assertEquals(byHand.last().testRmse(), t.validationRmse()[f], 0.0, "setting " + s + " fold " + f);
                assertEquals(byHand.last().trainRmse(), t.trainRmse()[f], 0.0, "setting " + s + " fold " + f);
                sum += byHand.last().testRmse();
            }
            if (sum / folds.size() < bestRmse) {
                bestRmse = sum / folds.size();
                best = settings.get(s);
            }
        }
        assertEquals(best, result.best().params());
        assertEquals(List.of(3, 6), result.curve().stream().map(t -> t.params().factors()).toList());
    }

    @Test
    void theValidationSplitIsCarvedFromTheTrainingPart() throws Exception {
        RatingLog train = Split.parse("random:0.1", slice, 42).train();
        List<AlsParams> one = List.of(new AlsParams(4, 1, 15, 3));
        Tuning.Plan plan = new Tuning.Plan(ModelKind.BIASED, one, 0, 0.2, 3, 42, SweepSolver.CHOLESKY, 1, null, 0);
        Tuning.Trial t = Tuning.search(train, plan, null).best();
        Split.TrainTest v = Split.random(train, 0.2, 42 ^ Tuning.FOLD_SEED_MIX);
        Evaluation.Result byHand = Evaluation.run(v.train(), v.test(), null, 0,
                new Evaluation.Options(ModelKind.BIASED, one.get(0), 3, 1, 42, SweepSolver.CHOLESKY), null);
        assertEquals(1, t.validationRmse().length);
        assertEquals(byHand.last().testRmse(), t.validationRmse()[0], 0.0);
    }

    @Test
    void scoresDoNotDependOnTheNumberOfThreads() throws Exception {
        List<AlsParams> settings = SearchSpace.parse("2,5", "1", "10,15", "3").grid();
        Tuning.Result one = Tuning.search(slice,
                new Tuning.Plan(ModelKind.BIASED, settings, 2, 0, 3, 1, SweepSolver.CHOLESKY, 1, null, 0), null);
        Tuning.Result two = Tuning.search(slice,
                new Tuning.Plan(ModelKind.BIASED, settings, 2, 0, 3, 1, SweepSolver.CHOLESKY, 2, null, 0), null);
        for (int s = 0; s < settings.size(); s++) {
            assertEquals(List.of(one.trials().get(s).validationRmse()[0], one.trials().get(s).validationRmse()[1]),
                    List.of(two.trials().get(s).validationRmse()[0], two.trials().get(s).validationRmse()[1]));
        }
    }

    private static Set<String> rows(RatingLog log) {
        return java.util.stream.IntStream.range(0, log.size())
                .mapToObj(k -> log.user(k) + ":" + log.item(k) + ":" + log.time(k))
                .collect(Collectors.toSet());
    }
}
