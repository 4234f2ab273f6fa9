using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Payments.Actors.ServiceDefaults;

/// <summary>
/// The scrape endpoint and the Orleans Dashboard answer only callers from the management networks
/// (<c>Management:AllowedNetworks</c>, CIDRs; loopback by default), whatever port they share with the API: anyone who
/// can reach the API must not read its metrics or the cluster's internals. Others get 404, as if nothing were there.
/// </summary>
public static class ManagementAccess
{
    public const string SectionName = "Management";

    /// <summary>Loopback only: the scraper and the operator's browser run on the machine, or come through a tunnel.</summary>
    public static readonly IReadOnlyList<string> DefaultNetworks = ["127.0.0.0/8", "::1/128"];

    private static readonly string[] Paths = [ServiceDefaultsExtensions.MetricsPath, "/dashboard"];

    public static IApplicationBuilder UseManagementAccess(this IApplicationBuilder app, IConfiguration configuration)
    {
        var configured = configuration.GetSection($"{SectionName}:AllowedNetworks").Get<string[]>();
        var networks = (configured is { Length: > 0 } ? configured : DefaultNetworks).Select(IPNetwork.Parse).ToArray();
        return app.Use(async (context, next) =>
        {
            if (Paths.Any(p => context.Request.Path.StartsWithSegments(p)) && !IsAllowed(context.Connection.RemoteIpAddress, networks))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
    }

    /// <summary>Whether a caller's address is inside one of the networks; an IPv4 address seen as IPv6 counts as IPv4.</summary>
    public static bool IsAllowed(IPAddress? caller, IReadOnlyList<IPNetwork> networks)
    {
        if (caller is null)
        {
            return false;
        }

        var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        return networks.Any(n => n.Contains(address));
    }
}
