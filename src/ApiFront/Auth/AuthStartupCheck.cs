using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Builds the JWT bearer options (and, in embedded mode, the token server options) while the host starts,
/// so an unreadable signing key or an unusable authority stops the process instead of failing the first
/// request. It runs after <c>ValidateOnStart</c> has checked <see cref="AuthOptions"/>, so a configuration
/// mistake is reported once, by the validator, and not again by every consumer of the options.
/// </summary>
internal sealed class AuthStartupCheck(IServiceProvider services, IOptions<AuthOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        if (options.Value.IsEmbedded)
        {
            _ = services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
