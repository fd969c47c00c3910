package dev.vlflow.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.testing.InMemoryWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serialized graphs, read back: IR/opset, hierarchical unique node names, weights external and dataless. */
class GraphStructureTest {

    @Test
    void graphsHaveHierarchicalNamesAndExternalWeights(@TempDir Path dir) throws IOException {
        try (InMemoryWeights weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 1);
             OnnxModel model = OnnxModel.build(weights, ExecutionProvider.cpu())) {
            List<OnnxGraph> graphs = model.graphs();
            assertEquals(2 + 2 * 2 + 1, graphs.size());
            Map<String, Set<String>> nodesByGraph = new HashMap<>();
            for (OnnxGraph graph : graphs) {
                ParsedModel parsed = ParsedModel.parse(graph.model());
                assertEquals(8, parsed.irVersion(), graph.name());
                assertEquals(17, parsed.opset(), graph.name());
                Set<String> names = new HashSet<>();
                for (ParsedModel.Node n : parsed.nodes()) {
                    assertTrue(n.name().startsWith("/"), graph.name() + ": node " + n.name());
                    assertTrue(names.add(n.name()), graph.name() + ": duplicate node " + n.name());
                }
                assertEquals(graph.nodes(), parsed.nodes().stream().map(ParsedModel.Node::name).toList());
                nodesByGraph.put(graph.name(), names);

                Set<String> external = new HashSet<>();
                for (ParsedModel.Initializer init : parsed.initializers()) {
                    if (weights.has(init.name())) {
                        assertEquals(1, init.dataLocation(), init.name() + " must be EXTERNAL");
                        assertEquals(0, init.rawBytes(), init.name() + " must carry no data");
                        assertTrue(!init.location().isEmpty(), init.name() + " needs an external_data location");
                        external.add(init.name());
                    } else {
                        assertTrue(init.name().startsWith("/"), "constant " + init.name() + " is hierarchical");
                        assertEquals(0, init.dataLocation(), init.name());
                    }
                }
                assertEquals(Set.copyOf(graph.externalWeights()), external, graph.name());
            }
            assertTrue(nodesByGraph.get("layers.0.pre_attention").contains("/model/layers.0/self_attn/q_proj"));
            assertTrue(nodesByGraph.get("layers.0.pre_attention").contains("/model/layers.0/input_layernorm/Pow"));
            assertTrue(nodesByGraph.get("layers.1.post_attention").contains("/model/layers.1/mlp/up_proj"));
            assertTrue(nodesByGraph.get("layers.1.post_attention").contains("/model/layers.1/self_attn/o_proj"));
            assertTrue(nodesByGraph.get("vision_tower").contains("/vision_tower/encoder/layers.1/mlp/fc1"));
            assertTrue(nodesByGraph.get("vision_tower").contains("/vision_tower/embeddings/patch_embedding"));
            assertTrue(nodesByGraph.get("projector_pool").contains("/multi_modal_projector/linear_1"));
            assertTrue(nodesByGraph.get("projector_pool").contains("/pool/Resize"));
            assertTrue(nodesByGraph.get("head").contains("/lm_head"));

            List<Path> files = model.dumpGraphs(dir.resolve("graphs"));
            assertEquals(graphs.size(), files.size());
            for (int i = 0; i < files.size(); i++) {
                assertEquals(graphs.get(i).name() + ".onnx", files.get(i).getFileName().toString());
                assertArrayEquals(graphs.get(i).model(), Files.readAllBytes(files.get(i)));
            }
        }
    }

    @Test
    void builderRejectsFlatAndDuplicateNames() {
        GraphBuilder g = new GraphBuilder("g");
        Value x = g.input("x", Dim.of(1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> g.op("relu", "Relu", List.of(x)));
        g.op("/a/relu", "Relu", List.of(x));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> g.op("/a/relu", "Relu", List.of(x)));
    }
}
