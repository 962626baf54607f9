package marketbackend.db;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class TotalsCacheTest {

    @Test
    void aTotalIsReusedOnlyForTheSameMarketAndFilter() {
        TotalsCache cache = new TotalsCache(Duration.ofMinutes(1));
        AtomicInteger counts = new AtomicInteger();
        assertThat(cache.get("KG", "q=a", () -> {
            counts.incrementAndGet();
            return 10;
        }), is(10L));
        assertThat(cache.get("KG", "q=a", () -> 99), is(10L));
        assertThat(cache.get("US", "q=a", () -> 20), is(20L));
        assertThat(cache.get("KG", "q=b", () -> 30), is(30L));
        assertThat(counts.get(), is(1));
    }

    @Test
    void zeroLifetimeAlwaysCounts() {
        TotalsCache cache = new TotalsCache(Duration.ZERO);
        assertThat(cache.get("KG", "", () -> 1), is(1L));
        assertThat(cache.get("KG", "", () -> 2), is(2L));
    }

    @Test
    void whileOneRequestRecountsTheOthersKeepThePreviousTotal() throws Exception {
        TotalsCache cache = new TotalsCache(Duration.ofSeconds(2));
        assertThat(cache.get("KG", "", () -> 1), is(1L));
        Thread.sleep(2100);
        java.util.concurrent.CountDownLatch counting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread recount = Thread.ofVirtual().start(() -> cache.get("KG", "", () -> {
            counting.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 2;
        }));
        counting.await();
        assertThat(cache.get("KG", "", () -> 3), is(1L));
        release.countDown();
        recount.join();
        assertThat("the recounted total is kept for the next 2 s", cache.get("KG", "", () -> 4), is(2L));
    }

    @Test
    void anExpiredTotalIsCountedAgain() throws InterruptedException {
        TotalsCache cache = new TotalsCache(Duration.ofMillis(1));
        assertThat(cache.get("KG", "", () -> 1), is(1L));
        Thread.sleep(5);
        assertThat(cache.get("KG", "", () -> 2), is(2L));
    }
}
