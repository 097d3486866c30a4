/**
 * Batch generation as an Apache Spark job: read prompts (JSONL or Parquet), skip the ids an earlier run already
 * wrote, generate every partition on an executor's memory-mapped engine with continuous batching, and append the
 * rows to the output. Depends on {@code r1j.engine} (core) and Spark, which stays out of every other module.
 */
package r1j.spark;
