using Xunit;

namespace Payments.Actors.UnitTests.Auth;

/// <summary>One started auth host per test class, with its own key directory and captured logs.</summary>
public sealed class AuthAppFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private AuthTestApp? _app;

    internal AuthTestApp App => _app ?? throw new InvalidOperationException("The fixture has not been initialised.");

    internal CapturingLoggerProvider Logs { get; } = new();

    public async ValueTask InitializeAsync() =>
        _app = await AuthTestApp.StartAsync(AuthTestApp.DefaultSettings(_directory.SigningKeyPath), Logs);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _directory.Dispose();
    }
}
