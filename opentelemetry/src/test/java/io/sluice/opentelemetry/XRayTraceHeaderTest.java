package io.sluice.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XRayTraceHeaderTest {

    @Test
    void aHeaderWithRootAndParentIsARemoteSpanContext() {
        var context = XRayTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
                .orElseThrow();

        assertThat(context.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
        assertThat(context.getSpanId()).isEqualTo("53995c3f42cd8ad8");
        assertThat(context.isSampled()).isTrue();
        assertThat(context.isRemote()).isTrue();
    }

    @Test
    void orderAndExtraFieldsDoNotMatterAndSampledDefaultsToNo() {
        var context = XRayTraceHeader.parse("Parent=53995c3f42cd8ad8; Lineage=a87bd80c:1|68fd508a:5;"
                + " Root=1-5759e988-bd862e3fe1be46a994272793").orElseThrow();

        assertThat(context.getSpanId()).isEqualTo("53995c3f42cd8ad8");
        assertThat(context.isSampled()).isFalse();
    }

    @Test
    void malformedOrParentlessHeadersGiveNothing() {
        assertThat(XRayTraceHeader.parse(null)).isEmpty();
        assertThat(XRayTraceHeader.parse("")).isEmpty();
        assertThat(XRayTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793")).isEmpty();
        assertThat(XRayTraceHeader.parse("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")).isEmpty();
        assertThat(XRayTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8")).isEmpty();
        assertThat(XRayTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8adZ")).isEmpty();
        assertThat(XRayTraceHeader.parse("Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8")).isEmpty();
    }
}
