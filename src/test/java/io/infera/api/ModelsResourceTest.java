package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/models}: OpenAI's list shape, with every model's task, state and tensors. */
@QuarkusTest
class ModelsResourceTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    @Test
    void listsEveryModelFolderWithItsState() {
        given().get("/v1/models")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItems("tiny-bert-sentiment", "tiny-vit", "tensor-ops", "broken-onnx", "wants-cuda"))
                .body("data.find { it.id == 'tiny-bert-sentiment' }.object", equalTo("model"))
                .body("data.find { it.id == 'tiny-bert-sentiment' }.owned_by", equalTo("infera"))
                .body("data.find { it.id == 'tiny-bert-sentiment' }.created", notNullValue())
                .body("data.find { it.id == 'tiny-bert-sentiment' }.task", equalTo("text-classification"))
                .body("data.find { it.id == 'tiny-bert-sentiment' }.state", equalTo("READY"))
                .body("data.find { it.id == 'tiny-bert-sentiment' }.backend", equalTo("onnxruntime"))
                .body("data.find { it.id == 'tiny-bert-sentiment' }.device", equalTo("cpu"))
                .body(
                        "data.find { it.id == 'tiny-bert-sentiment' }.inputs.name",
                        hasItems("input_ids", "attention_mask"))
                .body("data.find { it.id == 'broken-onnx' }.state", equalTo("FAILED"))
                .body("data.find { it.id == 'broken-onnx' }.reason", containsString("Protobuf parsing failed"))
                .body("data.find { it.id == 'tensor-ops' }.task", nullValue());
    }

    @Test
    void aModelWithVersionsListsEachWithItsStateTheSplitAndItsCard() {
        given().get("/v1/models/ab-sentiment")
                .then()
                .statusCode(200)
                .body("version", equalTo("2"))
                .body("versions.version", contains("2", "1"))
                .body("versions.state", contains("READY", "READY"))
                .body("versions[0].weights_bytes", greaterThan(0))
                .body("traffic.split.1", equalTo(90))
                .body("card.metadata.license", equalTo("other"))
                .body("card.metadata.pipeline_tag", equalTo("text-classification"))
                .body("card.markdown", startsWith("# ab-sentiment"));
        given().get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.find { it.id == 'ab-sentiment' }.versions.version", contains("2", "1"))
                .body("data.find { it.id == 'ab-sentiment' }.card", nullValue());
    }

    @Test
    void oneModel() {
        given().get("/v1/models/tiny-convnext")
                .then()
                .statusCode(200)
                .body("id", equalTo("tiny-convnext"))
                .body("task", equalTo("image-classification"))
                .body("version", equalTo("1"))
                .body("inputs[0].name", equalTo("pixel_values"))
                .body("outputs[0].name", equalTo("logits"));
        // generation models have a pipeline but no pre/post-processing Task: their task still shows
        given().get("/v1/models/tiny-gpt2").then().statusCode(200).body("task", equalTo("text-generation"));
        given().get("/v1/models/tiny-t5").then().statusCode(200).body("task", equalTo("text2text-generation"));
        given().get("/v1/models/wants-cuda")
                .then()
                .statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", containsString("CUDA"));
        given().get("/v1/models/missing").then().statusCode(404).contentType("application/problem+json");
    }

    /** Sessions and threads as chosen from the cores this test sees, where neither serving.yaml nor the server names them. */
    @Test
    void showsTheSessionsAndThreadsEachModelRunsWith() {
        int cores = Runtime.getRuntime().availableProcessors();
        given().get("/v1/models/tiny-bert-sentiment")
                .then()
                .statusCode(200)
                .body("execution.instances", equalTo(1))
                .body("execution.intra_op_threads", equalTo(cores))
                .body("execution.spinning", equalTo(false))
                .body("execution.max_batch_size", equalTo(16))
                .body("execution.buckets", hasItems(16, 128, 512));
        // a model that names one thread and one session keeps them
        given().get("/v1/models/sleepy")
                .then()
                .statusCode(200)
                .body("execution.instances", equalTo(1))
                .body("execution.intra_op_threads", equalTo(1))
                .body("execution.max_batch_size", equalTo(1));
    }

    /** How each model shares runs, and why, for the models whose graphs keep them from sharing freely. */
    @Test
    void saysHowEachModelBatchesAndWhy() {
        given().get("/v1/models/tiny-bert-sentiment").then().statusCode(200).body("batching.mode", equalTo("dynamic"));
        given().get("/v1/models/tiny-bert-encoder-int8")
                .then()
                .statusCode(200)
                .body("batching.mode", equalTo("rows-separately"))
                .body("batching.reason", containsString("DynamicQuantizeLinear"));
        given().get("/v1/models/tiny-gpt2").then().statusCode(200).body("batching.mode", equalTo("continuous"));
        given().get("/v1/models/tiny-gpt2-legacy")
                .then()
                .statusCode(200)
                .body("batching.mode", equalTo("continuous-same-position"))
                .body("batching.reason", containsString("position_ids"));
        given().get("/v1/models/tiny-t5").then().statusCode(200).body("batching.mode", equalTo("waves"));
        given().get("/v1/models/tiny-boxes-unbatched")
                .then()
                .statusCode(200)
                .body("batching.mode", equalTo("unbatched"));
    }
}
