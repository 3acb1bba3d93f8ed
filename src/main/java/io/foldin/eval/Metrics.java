package io.foldin.eval;

import io.foldin.data.RatingLog;
import io.foldin.model.FactorModel;
import java.util.function.IntPredicate;

/** Error measures of a model on a set of ratings; predictions are clipped to the rating range. */
public final class Metrics {
    private Metrics() {
    }

    public static double rmse(FactorModel model, RatingLog ratings) {
        return rmse(model, ratings, k -> true);
    }

    /** RMSE over the rows {@code k} for which {@code include.test(k)}; NaN when none is included. */
    public static double rmse(FactorModel model, RatingLog ratings, IntPredicate include) {
        double sq = 0;
        long n = 0;
        for (int k = 0; k < ratings.size(); k++) {
            if (include.test(k)) {
                double e = ratings.rating(k) - model.predict(ratings.user(k), ratings.item(k));
                sq += e * e;
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sq / n);
    }
}
