package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The test-side OCSF validator itself, on small hand-made events: each bad one is reported. */
class OcsfValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OcsfSchema schema;
    private static OcsfValidator validator;

    @BeforeAll
    static void compileSchema() {
        schema = OcsfSchema.load(TestData.file("ocsf-1.8.0"));
        validator = new OcsfValidator(schema);
    }

    /** A minimal valid Process Activity: Launch, with the linux_users profile on the process. */
    private static ObjectNode launch() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"class_uid": 1007, "category_uid": 1, "activity_id": 1, "activity_name": "Launch",
                 "type_uid": 100701, "severity_id": 1, "status_id": 1, "time": 1795636827767,
                 "metadata": {"version": "1.8.0", "uid": "1795636827.767:318",
                              "product": {"name": "laurel", "vendor_name": "laurel"},
                              "profiles": ["host", "linux/linux_users"]},
                 "device": {"hostname": "debian", "type_id": 0},
                 "actor": {"process": {"pid": 3463, "name": "bash"}},
                 "process": {"pid": 3695, "name": "maint.sh", "cmd_line": "/bin/sh ./maint.sh",
                             "file": {"name": "dash", "path": "/usr/bin/dash", "type_id": 1},
                             "auid": 1001, "euid": 0, "group": {"name": "root", "uid": "0"},
                             "parent_process": {"pid": 3463, "file": {"name": "bash", "type_id": 1}}},
                 "unmapped": {"SYSCALL": {"a0": "562bb2637630", "anything": [1, {"x": null}]}}}
                """);
    }

    private static List<String> problemsAfter(Consumer<ObjectNode> change) throws Exception {
        ObjectNode e = launch();
        change.accept(e);
        return validator.validate(e);
    }

    private static ObjectNode obj(JsonNode n, String field) {
        return (ObjectNode) n.get(field);
    }

    @Test
    void compilesEveryClassOfTheSchemaWithItsUid() {
        assertThat(schema.classes()).containsKeys(0, 1001, 1007, 3001, 3002, 4001);
        assertThat(schema.eventClass(1007).shape().attributes().get("process").required()).isTrue();
        // base_event's host profile makes actor optional; system makes it unconditional and required
        assertThat(schema.eventClass(1007).shape().attributes().get("actor").profile()).isNull();
        assertThat(schema.eventClass(0).shape().attributes().get("actor").profile()).isEqualTo("host");
        // the linux extension patches process with the linux_users profile's attributes
        assertThat(schema.object("process").attributes().get("auid").profile()).isEqualTo("linux/linux_users");
        // a class's activity enum is added to base_event's Unknown and Other
        assertThat(schema.eventClass(1007).shape().attributes().get("activity_id").enumCaptions())
                .containsKeys("0", "1", "2", "4", "5", "99");
    }

    @Test
    void acceptsAValidEvent() throws Exception {
        assertThat(validator.validate(launch())).isEmpty();
    }

    @Test
    void reportsAMissingRequiredAttribute() throws Exception {
        assertThat(problemsAfter(e -> e.remove("time")))
                .containsExactly("time: required by process_activity but missing");
        assertThat(problemsAfter(e -> e.remove("process")))
                .containsExactly("process: required by process_activity but missing");
    }

    @Test
    void reportsAnAttributeOutsideTheClass() throws Exception {
        assertThat(problemsAfter(e -> e.put("auid", 1001)))
                .containsExactly("auid: not an attribute of process_activity");
        // file_activity's attribute is not process_activity's
        assertThat(problemsAfter(e -> e.putObject("file").put("name", "x")))
                .containsExactly("file: not an attribute of process_activity");
    }

    @Test
    void reportsAProfileAttributeWhoseProfileIsNotDeclared() throws Exception {
        assertThat(problemsAfter(e -> ((ArrayNode) e.get("metadata").get("profiles")).remove(1)))
                .containsExactlyInAnyOrder(
                        "process.auid: belongs to profile linux/linux_users, which metadata.profiles does not list",
                        "process.euid: belongs to profile linux/linux_users, which metadata.profiles does not list",
                        "process.group: belongs to profile linux/linux_users, which metadata.profiles does not list");
        assertThat(problemsAfter(e -> ((ArrayNode) e.get("metadata").get("profiles")).add("linux/no_such")))
                .containsExactly("metadata.profiles: \"linux/no_such\" is not a profile of the schema");
    }

    @Test
    void reportsAnUnknownEnumId() throws Exception {
        assertThat(problemsAfter(e -> e.put("activity_id", 42).put("type_uid", 100742)))
                .containsExactly("activity_id: 42 is not among the enum ids [0, 99, 1, 2, 3, 4, 5]");
        assertThat(problemsAfter(e -> e.put("severity_id", 7)))
                .singleElement().asString().startsWith("severity_id: 7 is not among the enum ids");
        // nested: file.type_id
        assertThat(problemsAfter(e -> obj(obj(e, "process"), "file").put("type_id", 12)))
                .singleElement().asString().startsWith("process.file.type_id: 12 is not among the enum ids");
    }

    @Test
    void reportsAValueOfTheWrongType() throws Exception {
        assertThat(problemsAfter(e -> obj(e, "process").put("pid", "3695")))
                .containsExactly("process.pid: must be integer_t (integer_t), is \"3695\"");
        assertThat(problemsAfter(e -> e.put("time", 1.5)))
                .containsExactly("time: must be timestamp_t (long_t), is 1.5");
        assertThat(problemsAfter(e -> obj(e, "process").put("file", "/usr/bin/dash")))
                .containsExactly("process.file: must be a file object, is \"/usr/bin/dash\"");
        assertThat(problemsAfter(e -> obj(e, "metadata").putArray("profiles").add(7).add("linux/linux_users")))
                .containsExactly("metadata.profiles: 7 is not a profile of the schema",
                        "metadata.profiles[0]: must be string_t (string_t), is 7");
        assertThat(problemsAfter(e -> obj(e, "process").put("cmd_line", "sh").putArray("file")))
                .containsExactly("process.file: must be a file object, is []");
        assertThat(problemsAfter(e -> obj(e, "process").put("pid", 1L << 40)))
                .containsExactly("process.pid: must be integer_t (integer_t), is 1099511627776");
        assertThat(problemsAfter(e -> obj(e, "process").putNull("name")))
                .containsExactly("process.name: null (leave the attribute out instead)");
    }

    @Test
    void checksTheTypesSectionsPatternsAndRanges() throws Exception {
        assertThat(problemsAfter(e -> e.set("class_uid", null)))
                .containsExactly("class_uid: null is not a class of the schema");
        ObjectNode net = (ObjectNode) JSON.readTree("""
                {"class_uid": 4001, "category_uid": 4, "activity_id": 1, "type_uid": 400101,
                 "severity_id": 1, "time": 1, "metadata": {"version": "1.8.0",
                 "product": {"name": "laurel"}},
                 "src_endpoint": {"ip": "10.0.0.1"},
                 "dst_endpoint": {"ip": "10.0.0.300", "port": 70000}}
                """);
        assertThat(validator.validate(net)).containsExactlyInAnyOrder(
                "dst_endpoint.ip: \"10.0.0.300\" does not match ip_t's pattern",
                "dst_endpoint.port: 70000 is outside port_t's range 0..65535");
    }

    @Test
    void checksObjectsRecursively() throws Exception {
        assertThat(problemsAfter(e -> obj(obj(e, "process"), "parent_process").put("ppid_name", "x")))
                .containsExactly("process.parent_process.ppid_name: not an attribute of process");
        assertThat(problemsAfter(e -> obj(obj(obj(e, "process"), "parent_process"), "file").remove("name")))
                .containsExactly("process.parent_process.file.name: required by file but missing",
                        "process.parent_process.file.*: file needs at least one of [name, uid]");
        // process needs a pid, uid or cpid
        assertThat(problemsAfter(e -> obj(obj(e, "process"), "parent_process").remove("pid")))
                .containsExactly("process.parent_process.*: process needs at least one of [pid, uid, cpid]");
    }

    @Test
    void checksTheClassificationAndSiblings() throws Exception {
        assertThat(problemsAfter(e -> e.put("type_uid", 100702)))
                .containsExactly("type_uid: 100702 but class_uid × 100 + activity_id is 100701");
        assertThat(problemsAfter(e -> e.put("category_uid", 3)))
                .containsExactly("category_uid: 3 but class process_activity is in category 1");
        assertThat(problemsAfter(e -> e.put("activity_name", "Terminate")))
                .containsExactly("activity_name: \"Terminate\" but activity_id 1 is \"Launch\"");
    }
}
