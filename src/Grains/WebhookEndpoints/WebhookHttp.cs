using System.Net;
using System.Net.Sockets;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>
/// The HTTP client of webhook deliveries: no redirects (a 3xx is a failed attempt), no cookies, no proxy, and a connect
/// callback that resolves the host itself and refuses to open a connection when any address it resolves to is refused
/// by the <see cref="WebhookUrlPolicy"/> (so a name re-pointed at an internal address after registration, DNS
/// rebinding, reaches nothing).
/// </summary>
public static class WebhookHttp
{
    public const string ClientName = "webhooks-out";

    public const string UserAgent = "Payments.Actors-Webhooks/1.0 (+https://github.com/payments-actors)";

    public static SocketsHttpHandler CreateHandler(WebhookUrlPolicy policy, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 64,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(WebhookUrlPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await policy.ResolveAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} does not resolve.");
        }

        if (addresses.FirstOrDefault(policy.Refuses) is { } refused)
        {
            throw new HttpRequestException($"{endpoint.Host} resolves to a refused address ({refused}); no connection was opened.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
