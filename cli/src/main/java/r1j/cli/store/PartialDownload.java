package r1j.cli.store;

/**
 * A download that was started and has not finished (interrupted, failed, or running now); {@code r1j pull NAME}
 * resumes it and {@code r1j rm NAME} discards it.
 *
 * @param name      canonical store name
 * @param bytesHeld bytes already on disk
 */
public record PartialDownload(String name, long bytesHeld) {
}
