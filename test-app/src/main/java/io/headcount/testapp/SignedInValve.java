package io.headcount.testapp;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.valves.ValveBase;

/**
 * Signs a request in as the user named by its {@value #HEADER} header, as a single-sign-on valve
 * in front of an app does: the container then reports that user principal to every filter and
 * servlet. Only for tests; a real app would verify who the user is.
 */
final class SignedInValve extends ValveBase {
    static final String HEADER = "X-Test-User";

    SignedInValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String user = request.getHeader(HEADER);
        if (user != null) {
            request.setUserPrincipal(new GenericPrincipal(user, List.of()));
        }
        getNext().invoke(request, response);
    }
}
