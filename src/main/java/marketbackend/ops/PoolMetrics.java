package marketbackend.ops;

import io.helidon.common.config.Config;
import io.helidon.dbclient.hikari.HikariMetricsRegistry;
import io.helidon.dbclient.hikari.spi.HikariMetricsProvider;
import io.helidon.metrics.api.Metrics;

/**
 * Pool gauges (hikaricp_connections_active, _idle, _pending, _timeout, ...): Helidon offers every
 * HikariCP pool it builds to the providers of this service, and HikariCP publishes its own gauges into
 * the registry it is given, here the one behind {@code /observe/metrics}.
 */
public final class PoolMetrics implements HikariMetricsProvider {
    @Override
    public String configKey() {
        return "market-metrics";
    }

    @Override
    public HikariMetricsRegistry extension(Config config) {
        // the registry's own (Micrometer) object: the type HikariCP recognises
        return consumer -> consumer.accept(Metrics.globalRegistry().unwrap(Object.class));
    }
}
