import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to one address (127.0.0.1 unless -Do2c.bindHost says otherwise).
 * DynamoDB Local has no bind option: it builds a Jetty server that listens on every interface. This launcher
 * builds the same server from the same command line, points its connectors at the loopback address, then starts it.
 * Run in source-file mode (needs a JDK): java -cp DynamoDBLocal.jar DynamoDbLoopback.java -port 4511 ...
 */
public class DynamoDbLoopback {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("o2c.bindHost", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost(host);
    proxy.start();
  }
}
