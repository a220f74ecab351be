// Starts Temporal's time-skipping test server (io.temporal:temporal-test-server) on a port, like
// io.temporal.testserver.TestServer, with one addition Relance's simulator needs: the server clock
// can start at a chosen instant (--start-time <epoch millis>), so a scenario dated in the past
// replays its own calendar (weekdays, DST changes, public holidays) instead of today's.
//
// Run as a single-file program: java -cp '<lib>/*' RelanceTestServer.java <port> [flags]
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

public class RelanceTestServer {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RelanceTestServer <port> [--enable-time-skipping] [--start-time <epoch-ms>]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    boolean lockTimeSkipping = true;
    long startTimeMs = 0;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--enable-time-skipping":
          lockTimeSkipping = false;
          break;
        case "--start-time":
          if (i + 1 >= args.length) {
            System.err.println("--start-time needs an epoch-millisecond value");
            System.exit(2);
          }
          startTimeMs = Long.parseLong(args[++i]);
          break;
        default:
          System.err.println("unknown flag " + args[i]);
          System.exit(2);
      }
    }
    TestServicesStarter services = new TestServicesStarter(lockTimeSkipping, startTimeMs);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  services.close();
                }));
    server.awaitTermination();
  }
}
