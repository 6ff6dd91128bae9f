package io.tracer.zoo;

import org.apache.spark.sql.SparkSession;

/**
 * XGBoost on Spark refuses an nthread above spark.task.cpus (one core per task by default):
 * ask for what the session allows, never more.
 */
public final class XgboostThreads {
    private XgboostThreads() {}

    public static int allowed(int requested) {
        int taskCpus = SparkSession.active().sparkContext().conf().getInt("spark.task.cpus", 1);
        return Math.max(1, Math.min(requested, taskCpus));
    }
}
