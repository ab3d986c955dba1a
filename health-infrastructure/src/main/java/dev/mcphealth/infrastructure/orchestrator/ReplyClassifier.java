package dev.mcphealth.infrastructure.orchestrator;

import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.ToolReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sorts what one call to the MCP Task Orchestrator came to into an {@link OrchestratorReply}, by its tool contract
 * (../shared/reference/orchestrator-contract.md): every tool answers ONE text of JSON, except its catch-all error,
 * a Python dict repr (not JSON). Pure: no I/O, no clock. The rules, in order:
 * <ol>
 *   <li>a failure that never reached it ({@code delivered == false}) is {@link OrchestratorReply.NotDelivered};
 *       one that may have (a timeout, a process that died on it) is {@link OrchestratorReply.Unconfirmed};</li>
 *   <li>an answer flagged {@code isError} (the MCP SDK's input validation, an exception that escaped a tool) is
 *       {@link OrchestratorReply.Refused} with its text;</li>
 *   <li>an answer that is not exactly one text is Refused;</li>
 *   <li>one text that is a JSON object is {@link OrchestratorReply.Answered}, unless it reports an error: a
 *       {@code "status"} of {@code error}, {@code failed}, {@code failure} or ending in {@code _failed} or
 *       {@code _error} ({@code initialization_failed}, {@code synthesis_failed}), a non-null {@code "error"} key,
 *       or {@code "success": false}: then it is Refused with the error's text;</li>
 *   <li>a text that is not a JSON object is Refused with the raw text, except the contract's known quirk:
 *       {@code orchestrator_update_task} answering its dict repr {@code 'str' object is not a mapping}, after it
 *       updated the task, is {@link OrchestratorReply.DoneDespiteError}.</li>
 * </ol>
 * Texts are cut to {@value #MAX_TEXT} characters. Python's {@code json.dumps} writes {@code NaN} and
 * {@code Infinity}, so those are read as numbers. Top-level keys whose value is null are left out of an Answered
 * object (as absent: its map holds no nulls); nested values are kept as parsed.
 */
final class ReplyClassifier {
    /** How much of a text a reply keeps: enough to read the error, not a whole dump. */
    static final int MAX_TEXT = 500;
    /** The answer update_task gives although the row IS updated (the contract's observed quirk). */
    static final String UPDATE_TASK_QUIRK = "'str' object is not a mapping";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ReplyClassifier() {
    }

    /** What a {@code tools/call} of {@code tool} came to. */
    static OrchestratorReply classify(OrchestratorTool tool, CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Replied r) {
            return classify(tool, r.reply());
        }
        if (outcome instanceof CallOutcome.Failed f) {
            return f.delivered()
                    ? new OrchestratorReply.Unconfirmed(cut(tool.code() + " was sent, no answer ("
                            + f.type().code() + "): " + f.message()))
                    : new OrchestratorReply.NotDelivered(cut(tool.code() + " was not delivered ("
                            + f.type().code() + "): " + f.message()));
        }
        if (outcome instanceof CallOutcome.Listed) {
            throw new IllegalArgumentException("a tool call cannot come back as a tool list");
        }
        throw new IllegalArgumentException("unknown outcome " + outcome);
    }

    /** What the orchestrator's answer to {@code tool} says. */
    static OrchestratorReply classify(OrchestratorTool tool, ToolReply reply) {
        List<String> texts = reply.texts();
        if (reply.error()) {
            String text = String.join("\n", texts);
            return new OrchestratorReply.Refused(text.isBlank()
                    ? tool.code() + " reported an error without a text" : cut(text));
        }
        if (texts.size() != 1) {
            return new OrchestratorReply.Refused(texts.isEmpty()
                    ? tool.code() + " answered no text (expected one text of JSON)"
                    : cut(tool.code() + " answered " + texts.size() + " texts (expected one): "
                            + String.join("\n", texts)));
        }
        String text = texts.get(0);
        JsonNode json = parse(text);
        if (json == null || !json.isObject()) {
            if (tool == OrchestratorTool.UPDATE_TASK && text.contains(UPDATE_TASK_QUIRK)) {
                return new OrchestratorReply.DoneDespiteError(cut(text));
            }
            return new OrchestratorReply.Refused(text.isBlank() ? tool.code() + " answered an empty text" : cut(text));
        }
        if (reportsError(json)) {
            return new OrchestratorReply.Refused(cut(errorText(json, text)));
        }
        return AnswerReader.answered(tool, withoutNulls(json));
    }

    /** Whether a JSON answer says it did not do the work. */
    static boolean reportsError(JsonNode json) {
        JsonNode status = json.get("status");
        if (status != null && status.isString() && errorStatus(status.stringValue())) {
            return true;
        }
        JsonNode error = json.get("error");
        if (error != null && !error.isNull() && !(error.isBoolean() && !error.booleanValue())) {
            return true;
        }
        JsonNode success = json.get("success");
        return success != null && success.isBoolean() && !success.booleanValue();
    }

    private static boolean errorStatus(String status) {
        String s = status.toLowerCase(Locale.ROOT);
        return s.equals("error") || s.equals("failed") || s.equals("failure") || s.endsWith("_failed")
                || s.endsWith("_error");
    }

    /**
     * The error's own words: {@code error} (with {@code details} when they add to it), else {@code message}, else
     * {@code errors}, else the status; failing all, the whole text.
     */
    private static String errorText(JsonNode json, String raw) {
        String error = scalar(json.get("error"));
        String details = scalar(json.get("details"));
        if (error != null) {
            if (details == null || details.equals(error)) {
                return error;
            }
            return details.startsWith(error) ? details : error + ": " + details;
        }
        String message = scalar(json.get("message"));
        if (message != null) {
            return message;
        }
        JsonNode errors = json.get("errors");
        if (errors != null && errors.isArray() && !errors.isEmpty()) {
            List<String> all = new ArrayList<>();
            errors.forEach(e -> all.add(e.isString() ? e.stringValue() : e.toString()));
            return String.join("; ", all);
        }
        String status = scalar(json.get("status"));
        if (status != null) {
            return "status " + status;
        }
        return raw;
    }

    /** A non-blank string as it is, another non-null value as JSON; null for null, absent or blank. */
    private static String scalar(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String s = node.isString() ? node.stringValue() : node.toString();
        return s.isBlank() ? null : s;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(JsonNode json) {
        Map<String, Object> all = JSON.treeToValue(json, LinkedHashMap.class);
        all.values().removeIf(v -> v == null);
        return all;
    }

    /** {@code text} cut to {@value #MAX_TEXT} characters (never inside a surrogate pair), marked with an ellipsis. */
    static String cut(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return text.substring(0, end) + "…";
    }
}
