package r1j.cli.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls through the real HTTP stack from a loopback server that behaves like the Hugging Face hub. */
@Timeout(120) // a hang detector only: generous, as a loaded 2-core machine can be slow
class ModelStorePullTest {

    private static final String REPO = "tester/tiny-GGUF";
    private static final String FILE = "tiny-Q8_0.gguf";
    private static final String NAME = REPO + "/" + FILE;

    @TempDir
    Path home;

    private LoopbackHub hub;
    private ModelStore store;
    private ModelCatalog catalog;
    private byte[] model;

    @BeforeEach
    void startHub() throws IOException {
        hub = new LoopbackHub();
        store = new ModelStore(home);
        catalog = new ModelCatalog(hub.endpoint());
        // 3 MiB + a tail: several 1 MiB buffers, and a size that is no multiple of anything.
        model = new byte[3 * (1 << 20) + 12345];
        new SplittableRandom(42).nextBytes(model);
        hub.put(REPO, FILE, model);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private static ModelDownloader downloader(int attempts) {
        return new ModelDownloader(ModelDownloader.defaultClient(), attempts, Duration.ZERO);
    }

    @Test
    void pull_followsRedirect_verifiesAnnouncedSha256_andWritesManifest() throws IOException {
        StoredModel stored = store.pull(catalog.source(NAME), downloader(1), ProgressListener.NONE);

        assertThat(stored.path()).hasBinaryContent(model);
        assertThat(stored.path().getFileName()).hasToString(FILE);
        assertThat(stored.manifest().sha256()).isEqualTo(LoopbackHub.sha256(model));
        assertThat(stored.manifest().sha256Verified()).isTrue();
        assertThat(stored.manifest().size()).isEqualTo(model.length);
        assertThat(stored.manifest().url()).isEqualTo(hub.endpoint() + "/" + REPO + "/resolve/main/" + FILE);
        assertThat(Files.readString(stored.path().resolveSibling(ModelStore.MANIFEST))).contains("\"sha256\"");
        assertThat(store.find(NAME)).contains(stored);
        assertThat(store.partials()).isEmpty();
        try (var files = Files.list(stored.path().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(ModelStore.PART_SUFFIX) || n.endsWith(".tmp") || n.equals(ModelStore.PENDING));
        }
    }

    @Test
    void pull_afterConnectionCut_resumesWithRangeAndCompletesWithRightHash() {
        hub.cutAfterBytes = 1_500_000;
        hub.cutsLeft.set(1);

        StoredModel stored = store.pull(catalog.source(NAME), downloader(3), ProgressListener.NONE);

        // The client keeps what reached it before the cut (the last buffers may be lost with the connection).
        assertThat(hub.rangeRequests).hasSize(2).first().isEqualTo("");
        assertThat(resumeOffset(hub.rangeRequests.get(1))).isBetween(1L, 1_500_000L);
        assertThat(stored.path()).hasBinaryContent(model);
        assertThat(stored.manifest().sha256()).isEqualTo(LoopbackHub.sha256(model));
        assertThat(stored.manifest().sha256Verified()).isTrue();
    }

    @Test
    void pull_whenAttemptsRunOut_keepsPartForTheNextPullToResume() {
        hub.cutAfterBytes = 1_000_000;
        hub.cutsLeft.set(2);
        ModelSource source = catalog.source(NAME);

        assertThatThrownBy(() -> store.pull(source, downloader(2), ProgressListener.NONE))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("failed after 2 attempts")
                .hasMessageContaining("run the same pull again to resume");
        assertThat(store.find(NAME)).isEmpty();
        assertThat(store.partials()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo(NAME);
            assertThat(p.bytesHeld()).isBetween(1L, 2_000_000L);
        });
        long held = store.partials().getFirst().bytesHeld();
        assertThat(store.folderOf(NAME).resolve(FILE)).doesNotExist();

        StoredModel stored = store.pull(source, downloader(1), ProgressListener.NONE);

        assertThat(hub.rangeRequests).hasSize(3).last().isEqualTo("bytes=" + held + "-");
        assertThat(stored.path()).hasBinaryContent(model);
        assertThat(store.partials()).isEmpty();
    }

    @Test
    void pull_whenConnectionStallsWithoutClosing_dropsItAndResumes() {
        hub.cutAfterBytes = 800_000;
        hub.stallsLeft.set(1);
        // The stall limit is what the test waits out once; it stays well above any pause a loaded machine puts
        // into a healthy loopback transfer, which would otherwise count as a second stall.
        ModelDownloader impatient = new ModelDownloader(ModelDownloader.defaultClient(), 2, Duration.ZERO,
                Duration.ofSeconds(3));

        StoredModel stored = store.pull(catalog.source(NAME), impatient, ProgressListener.NONE);

        assertThat(hub.rangeRequests).hasSize(2).first().isEqualTo("");
        assertThat(resumeOffset(hub.rangeRequests.get(1))).isBetween(1L, 800_000L);
        assertThat(stored.path()).hasBinaryContent(model);
    }

    @Test
    void pullOrRm_whileAnotherPullOfTheModelRuns_isRefused() throws InterruptedException {
        hub.cutAfterBytes = 100_000;
        hub.stallsLeft.set(1);
        ModelDownloader slow = new ModelDownloader(ModelDownloader.defaultClient(), 1, Duration.ZERO,
                Duration.ofSeconds(30));
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                store.pull(catalog.source(NAME), slow, ProgressListener.NONE);
            } catch (DownloadException expectedWhenTheHubCloses) {
                // The hanging transfer ends when the test closes the hub.
            }
        });
        while (store.partials().isEmpty()) {
            Thread.sleep(10);
        }

        assertThatThrownBy(() -> store.pull(catalog.source(NAME), downloader(1), ProgressListener.NONE))
                .isInstanceOf(ModelStoreException.class).hasMessageContaining("another r1j process is pulling it");
        assertThatThrownBy(() -> store.remove(NAME))
                .isInstanceOf(ModelStoreException.class).hasMessageContaining("cannot be removed now");

        hub.close();
        first.join(10_000);
        assertThat(first.isAlive()).isFalse();
    }

    @Test
    void pull_whenServerIgnoresRange_restartsFromZero() throws IOException {
        hub.cutAfterBytes = 700_000;
        hub.cutsLeft.set(1);
        hub.ignoreRanges = true;

        StoredModel stored = store.pull(catalog.source(NAME), downloader(2), ProgressListener.NONE);

        assertThat(hub.rangeRequests).hasSize(2).first().isEqualTo("");
        assertThat(resumeOffset(hub.rangeRequests.get(1))).isPositive();
        assertThat(stored.path()).hasBinaryContent(model);
        assertThat(Files.size(stored.path())).isEqualTo(model.length);
    }

    @Test
    void pull_ofAlreadyCompletePart_isAcceptedFromRangeNotSatisfiable() throws IOException {
        ModelSource source = catalog.source(NAME);
        Path dir = store.folderOf(NAME);
        Files.createDirectories(dir);
        Files.write(dir.resolve(FILE + ModelStore.PART_SUFFIX), model);

        StoredModel stored = store.pull(source, downloader(1), ProgressListener.NONE);

        assertThat(hub.rangeRequests).containsExactly("bytes=" + model.length + "-");
        assertThat(stored.path()).hasBinaryContent(model);
        assertThat(stored.manifest().sha256Verified()).isTrue();
    }

    @Test
    void pull_ofPartLongerThanTheFile_startsOver() throws IOException {
        Path dir = store.folderOf(NAME);
        Files.createDirectories(dir);
        Files.write(dir.resolve(FILE + ModelStore.PART_SUFFIX), new byte[model.length + 10]);

        StoredModel stored = store.pull(catalog.source(NAME), downloader(1), ProgressListener.NONE);

        assertThat(hub.rangeRequests).containsExactly("bytes=" + (model.length + 10) + "-", "");
        assertThat(stored.path()).hasBinaryContent(model);
    }

    @Test
    void pull_withChecksumMismatch_leavesNoFileUnderTheFinalNameAndNoPart() {
        String wrong = "0".repeat(64);
        ModelSource source = catalog.source(NAME).withExpectedSha256(wrong);

        assertThatThrownBy(() -> store.pull(source, downloader(1), ProgressListener.NONE))
                .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(wrong);
                    assertThat(e.actual()).isEqualTo(LoopbackHub.sha256(model));
                })
                .hasMessageContaining("SHA-256 mismatch");
        Path dir = store.folderOf(NAME);
        assertThat(dir.resolve(FILE)).doesNotExist();
        assertThat(dir.resolve(FILE + ModelStore.PART_SUFFIX)).doesNotExist();
        assertThat(dir.resolve(ModelStore.MANIFEST)).doesNotExist();
        assertThat(store.find(NAME)).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void pull_withWrongHashAnnouncedByServer_failsAndKeepsTheEarlierGoodCopy() throws IOException {
        StoredModel first = store.pull(catalog.source(NAME), downloader(1), ProgressListener.NONE);
        hub.announcedSha256Override = "f".repeat(64);

        assertThatThrownBy(() -> store.pull(catalog.source(NAME), downloader(1), ProgressListener.NONE))
                .isInstanceOf(ChecksumMismatchException.class);

        assertThat(first.path()).hasBinaryContent(model);
        assertThat(store.find(NAME)).contains(first);
    }

    @Test
    void pull_ofMissingFile_saysNotFoundWithTheUrl() {
        ModelSource source = catalog.source(REPO + "/absent-Q4_K_M.gguf");

        assertThatThrownBy(() -> store.pull(source, downloader(3), ProgressListener.NONE))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("/tester/tiny-GGUF/resolve/main/absent-Q4_K_M.gguf");
        assertThat(hub.rangeRequests).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void pull_reportsProgressFromResumePointToTotal() {
        hub.cutAfterBytes = 1_200_000;
        hub.cutsLeft.set(1);
        List<long[]> starts = new ArrayList<>();
        List<Long> updates = new ArrayList<>();
        ProgressListener recorder = new ProgressListener() {
            @Override
            public void start(String task, long total, long done) {
                starts.add(new long[] {total, done});
            }

            @Override
            public void update(long done) {
                updates.add(done);
            }

            @Override
            public void finish() {
            }
        };

        store.pull(catalog.source(NAME), downloader(2), recorder);

        assertThat(starts).extracting(s -> s[0]).containsOnly((long) model.length);
        assertThat(starts).extracting(s -> s[1]).containsExactly(0L, resumeOffset(hub.rangeRequests.get(1)));
        assertThat(updates).isSorted().last().isEqualTo((long) model.length);
    }

    private static long resumeOffset(String range) {
        assertThat(range).matches("bytes=\\d+-");
        return Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
    }
}
