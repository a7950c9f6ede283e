package io.infera.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeviceTest {

    @Test
    void parsesCpuAndCudaDevices() {
        assertEquals(Device.CPU, Device.parse(" CPU "));
        assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("cuda"));
        assertEquals(new Device(Device.Kind.CUDA, 3), Device.parse("cuda:3"));
        assertEquals("cuda:3", Device.parse("cuda:3").toString());
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "tpu:0"}) {
            assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
        }
    }
}
