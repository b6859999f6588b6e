package io.headcount.matrix.undertow;

import io.headcount.matrix.app.MatrixApp;
import io.headcount.matrix.app.MatrixPaths;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.api.ServletContainerInitializerInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * The matrix app on embedded Undertow 2.3 (jakarta.servlet), in the root context. Unmapped paths
 * reach Undertow's default servlet, which answers 404.
 */
public final class UndertowMatrixServer {
    private UndertowMatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        MatrixApp app = new MatrixApp();
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(UndertowMatrixServer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("matrix")
                .addServletContainerInitializer(new ServletContainerInitializerInfo(MatrixApp.class,
                        new ImmediateInstanceFactory<>(app), Set.of()))
                .addErrorPage(new ErrorPage(MatrixPaths.ERROR_PAGE, 500))
                .addErrorPage(new ErrorPage(MatrixPaths.ERROR_PAGE, Throwable.class));
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();

        Undertow server = Undertow.builder()
                .addHttpListener(MatrixPaths.port(args), "0.0.0.0")
                .setHandler(manager.start())
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println(MatrixPaths.ready("headcount-matrix-undertow", port));
    }
}
