package dev.mainstay.platform.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who the caller is: lets a CI job check its token (org, scopes) before it uploads. */
@RequestScoped
@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIApi {

    private final RequestIdentity identity;

    @Inject
    WhoAmIApi(RequestIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Requires("identity:read")
    public Map<String, Object> whoami() {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (identity.caller().orElseThrow()) {
            case Caller.Person person -> {
                out.put("kind", "person");
                out.put("name", person.name());
                out.put("orgs", person.orgs());
                out.put("roles", person.roles().stream().sorted().toList());
            }
            case Caller.Machine machine -> {
                out.put("kind", "token");
                out.put("name", machine.name());
                out.put("orgs", List.of(machine.org()));
                out.put("scopes", machine.scopes().stream().sorted().toList());
                out.put("creator", machine.creator());
            }
        }
        return out;
    }
}
