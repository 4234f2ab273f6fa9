using System.Globalization;
using Microsoft.AspNetCore.OpenApi;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// An operation on its way out (docs/api-compatibility.md): marked <c>deprecated</c> in the OpenAPI document and answered,
/// success or error, with <c>Deprecation</c> (RFC 9745: <c>@</c> and the Unix time it was deprecated), <c>Sunset</c>
/// (RFC 8594: the HTTP date it stops working) and a <c>Link</c> to its changelog entry.
/// </summary>
public sealed record DeprecationNotice(DateTimeOffset DeprecatedAt, DateTimeOffset SunsetAt, string ChangelogUrl)
{
    /// <summary>The least notice the compatibility policy promises between deprecation and sunset.</summary>
    public static readonly TimeSpan NoticeMin = TimeSpan.FromDays(180);

    public string DeprecationHeader => "@" + DeprecatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public string SunsetHeader => SunsetAt.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    public string LinkHeader => $"<{ChangelogUrl}>; rel=\"deprecation\"; type=\"text/markdown\"";
}

public static class Deprecation
{
    /// <summary>Marks an endpoint deprecated; refuses (at start-up) a sunset with less notice than the policy promises.</summary>
    public static TBuilder Deprecated<TBuilder>(this TBuilder builder, DateTimeOffset deprecatedAt, DateTimeOffset sunsetAt, string changelogUrl)
        where TBuilder : IEndpointConventionBuilder
    {
        if (sunsetAt - deprecatedAt < DeprecationNotice.NoticeMin)
        {
            throw new ArgumentOutOfRangeException(nameof(sunsetAt), sunsetAt,
                $"A sunset must come at least {DeprecationNotice.NoticeMin.TotalDays} days after the deprecation ({deprecatedAt:O}).");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(changelogUrl);
        return builder.WithMetadata(new DeprecationNotice(deprecatedAt, sunsetAt, changelogUrl));
    }

    /// <summary>Every answer of a deprecated endpoint carries the headers, including errors written after it was routed.</summary>
    public static IApplicationBuilder UseDeprecationHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DeprecationNotice>() is { } notice)
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["Deprecation"] = notice.DeprecationHeader;
                context.Response.Headers["Sunset"] = notice.SunsetHeader;
                context.Response.Headers.Append("Link", notice.LinkHeader);
                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    /// <summary>The OpenAPI document says so too, so generated clients warn their users.</summary>
    public static void AddDeprecationToOpenApi(OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DeprecationNotice>().FirstOrDefault() is { } notice)
        {
            operation.Deprecated = true;
            operation.Description = $"{operation.Description}\n\nDeprecated on {notice.DeprecatedAt:yyyy-MM-dd}; stops working on {notice.SunsetAt:yyyy-MM-dd} ({notice.ChangelogUrl}).".TrimStart();
        }

        return Task.CompletedTask;
    });
}
