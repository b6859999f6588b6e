package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.agent.bootstrap.HeadcountSink;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BootstrapInjectorTest {
    @Test
    void theListNamesEveryClassOfTheBootstrapPackageAndNoOther() throws IOException, URISyntaxException {
        Path directory = Path.of(HeadcountSink.class.getResource("HeadcountSink.class").toURI()).getParent();
        List<String> compiled;
        try (Stream<Path> files = Files.list(directory)) {
            compiled = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .collect(Collectors.toList());
        }
        assertEquals(new TreeSet<>(compiled), new TreeSet<>(BootstrapInjector.BOOTSTRAP_CLASSES));
    }
}
