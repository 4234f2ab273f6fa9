using Microsoft.Extensions.Logging;
using OpenIddict.Server;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// The logger OpenIddict's server dispatcher (and every token server handler) writes through, minus the Trace
/// level: at Trace OpenIddict prints each access token it creates in full. Registered in DI in place of the
/// default <c>ILogger&lt;OpenIddictServerDispatcher&gt;</c>, so no logging configuration of the host can turn
/// those lines back on. Requests and responses at higher levels are logged by OpenIddict with secrets redacted.
/// </summary>
internal sealed class OpenIddictServerLogger(ILoggerFactory loggerFactory) : ILogger<OpenIddictServerDispatcher>
{
    private readonly ILogger _inner = loggerFactory.CreateLogger<OpenIddictServerDispatcher>();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel > LogLevel.Trace && _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel > LogLevel.Trace)
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
