package dev.mcphealth.adapter.cli;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the command line's output, made when a command first writes JSON: not when picocli makes the
 * commands, which every run does ({@code --help} too). A mapper made in a command's static field cost every run
 * Jackson's start (its locale data among it): about 80 ms of a {@code --help} in a class-loading timeline on a 2-core
 * machine.
 */
final class CliJson {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private CliJson() {
    }
}
