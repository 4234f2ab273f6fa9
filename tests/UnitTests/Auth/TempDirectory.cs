namespace Payments.Actors.UnitTests.Auth;

/// <summary>A private temporary directory for one test's signing key, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("payments-auth-").FullName;

    public string Path { get; }

    public string SigningKeyPath => System.IO.Path.Combine(Path, "auth", "signing-key.pem");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
