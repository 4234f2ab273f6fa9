using System.Net;
using System.Net.Sockets;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>Where the real servers are. <c>deploy/test.sh</c> starts them and exports these; the defaults match it.</summary>
public static class TestEnvironment
{
    public static string Postgres => Environment.GetEnvironmentVariable("PA_TEST_POSTGRES") ?? "Host=/var/run/postgresql;Database=postgres";

    public static string Redis => Environment.GetEnvironmentVariable("PA_TEST_REDIS") ?? "127.0.0.1:6379";

    public static string RepoRoot => Environment.GetEnvironmentVariable("PA_REPO_ROOT") ?? FindRepoRoot();

    /// <summary>The configuration the executables were built in: the same as this test assembly's.</summary>
    public static string Configuration =>
        Environment.GetEnvironmentVariable("PA_TEST_CONFIGURATION")
        ?? (AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug");

    public static string ExecutablePath(string project, string assembly) =>
        Path.Combine(RepoRoot, "src", project, "bin", Configuration, "net10.0", assembly + ".dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Payments.Actors.sln not found above the test assembly; set PA_REPO_ROOT.");
    }
}
