package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.testkit.github.RestApi.Call;
import dev.mainstay.testkit.github.RestApi.Refused;
import dev.mainstay.testkit.github.RestApi.Reply;
import java.time.Instant;
import java.util.Map;

/** The GitHub App's own endpoints, authenticated with its JWT: the App, its installation, installation tokens. */
final class AppEndpoints {

    private final GitHubSimulator simulator;

    AppEndpoints(GitHubSimulator simulator) {
        this.simulator = simulator;
    }

    void register(RestApi api) {
        api.onApp("GET", "/app", call -> Reply.json(200, app()));
        api.onApp("GET", "/app/installations/(?<id>\\d+)", call -> Reply.json(200, installation(call)));
        api.onApp("GET", "{repo}/installation", call -> Reply.json(200, installation(call)));
        api.onApp("POST", "/app/installations/(?<id>\\d+)/access_tokens", call -> {
            installation(call);
            Map.Entry<String, Instant> token = simulator.issueToken();
            ObjectNode body = Payloads.JSON.createObjectNode();
            body.put("token", token.getKey()).put("expires_at", Payloads.time(token.getValue()))
                .put("repository_selection", "all");
            body.putObject("permissions").put("contents", "write").put("pull_requests", "write").put("checks", "write")
                .put("statuses", "read").put("issues", "write");
            return Reply.json(201, body);
        });
    }

    private ObjectNode app() {
        ObjectNode app = Payloads.JSON.createObjectNode();
        app.put("id", simulator.app().id()).put("slug", "mainstay").put("node_id", "APP_" + simulator.app().id())
            .put("name", "Mainstay").put("description", "merge queue").put("external_url", "https://mainstay.invalid")
            .put("html_url", simulator.apiUrl() + "/apps/mainstay").put("installations_count", 1)
            .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
        app.set("owner", simulator.payloads().user("mainstay-admin"));
        app.putObject("permissions").put("contents", "write");
        app.putArray("events").add("pull_request").add("check_run");
        return app;
    }

    private ObjectNode installation(Call call) {
        long id = simulator.app().installationId();
        if (call.path().pattern().pattern().contains("(?<id>") && Long.parseLong(call.param("id")) != id) {
            throw new Refused(404, "Not Found");
        }
        String account = call.repo() == null ? "acme" : call.repo().owner;
        ObjectNode installation = Payloads.JSON.createObjectNode();
        installation.put("id", id).put("app_id", simulator.app().id()).put("app_slug", "mainstay")
            .put("target_id", 1).put("target_type", "Organization").put("repository_selection", "all")
            .put("access_tokens_url", simulator.apiUrl() + "/app/installations/" + id + "/access_tokens")
            .put("repositories_url", simulator.apiUrl() + "/installation/repositories")
            .put("html_url", simulator.apiUrl() + "/settings/installations/" + id)
            .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
        installation.set("account", simulator.payloads().user(account));
        installation.putObject("permissions").put("contents", "write").put("pull_requests", "write");
        installation.putArray("events").add("pull_request");
        return installation;
    }
}
