using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Apis.Disputes;
using Payments.Actors.ApiFront.Apis.Events;
using Payments.Actors.ApiFront.Apis.Operator.DeadLetters;
using Payments.Actors.ApiFront.Apis.Operator.Reconciliation;
using Payments.Actors.ApiFront.Apis.Operator.Ledger;
using Payments.Actors.ApiFront.Apis.Operator.Outbox;
using Payments.Actors.ApiFront.Apis.Operator.Psps;
using Payments.Actors.ApiFront.Apis.Payments;
using Payments.Actors.ApiFront.Apis.Wallets;
using Payments.Actors.ApiFront.Apis.Webhooks;
using Payments.Actors.ApiFront.Apis.WebhookEndpoints;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.Idempotency;
using Payments.Actors.ApiFront.Observability;
using Payments.Actors.ApiFront.Edge.OpenApi;
using Scalar.AspNetCore;

namespace Payments.Actors.ApiFront;

/// <summary>
/// Everything the merchant API needs, as two calls, so the same edge runs in ApiFront's own process
/// (an Orleans client) or co-hosted in a silo.
/// </summary>
public static partial class ApiFrontExtensions
{
    public static WebApplicationBuilder AddApiFront(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        builder.AddPaymentsAuth();

        services.AddSingleton<RedisConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<RedisConnection>());
        services.AddSingleton<IdempotencyCache>();
        services.AddSingleton<IdempotentPipeline>();
        services.AddSingleton<ApiMetrics>();
        services.TryAddSingleton(TimeProvider.System);

        // PSP webhooks: providers, their networks and secrets (Webhooks:Providers), and each provider's signature scheme.
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<IWebhookSignatureScheme, PspASignature>();
        services.AddSingleton<IWebhookSignatureScheme, PspBSignature>();
        services.AddSingleton<IWebhookSignatureScheme, BankSignature>();
        services.AddSingleton<WebhookEdge>();
        services.AddSingleton<WebhookMetrics>();

        services.AddPaymentsOpenApi();
        services.AddWebhookOpenApi();
        services.AddEventOpenApi();
        // A query or route value that does not bind (limit=abc) throws in every environment, so that the error handler
        // answers it in the error model; otherwise production would answer a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddHealthChecks();
        services.AddRateLimiter(limiter =>
        {
            // Admission control: a concurrency limit on the merchant API only (tokens, health, metrics and
            // the dashboard stay reachable), no queue, refused before authentication spends any CPU.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/v1")
                    ? RateLimitPartition.GetConcurrencyLimiter("v1", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.InFlightRequestsMax,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("other"));
            limiter.OnRejected = (rejected, _) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(ApiErrorResults.WriteAsync(rejected.HttpContext, StatusCodes.Status503ServiceUnavailable,
                    ErrorCodes.Overloaded, "The API is at capacity. Retry after a second with the same Idempotency-Key.", retryable: true));
            };
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>The response header naming the request (its W3C trace id).</summary>
    public const string RequestIdHeader = "Request-Id";

    public static WebApplication UseApiFront(this WebApplication app)
    {
        // Outermost, so the counted status is the one the client got, error handler's included.
        var metrics = app.Services.GetRequiredService<ApiMetrics>();
        app.Use(metrics.ObserveAsync);
        // Every answer names its request, as the correlation_id of an error does, so a merchant can quote it to support.
        app.Use((context, next) =>
        {
            var requestId = ApiError.CorrelationIdOf(context);
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[RequestIdHeader] = requestId;
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseDeprecationHeaders();
        app.UseExceptionHandler(errors => errors.Run(WriteUnhandledAsync));
        app.Use(RefuseControlCharactersAsync);
        app.UseStatusCodePages(WriteBareStatusAsync);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("Payments.Actors API"));
        app.MapPaymentsApiV1();
        app.MapWalletsApiV1();
        app.MapEventsApiV1();
        app.MapDisputesApiV1();
        app.MapWebhookEndpointsApiV1();
        app.MapPspsApiV1();
        app.MapLedgerApiV1();
        app.MapOutboxApiV1();
        app.MapDeadLettersApiV1();
        app.MapReconciliationApiV1();
        app.MapWebhooksApiV1();
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready");
        return app;
    }

    /// <summary>
    /// A path or query value with a control character (NUL above all) is nobody's id, name or cursor, and PostgreSQL
    /// refuses NUL in text: refused here as the client's mistake, before it can reach a grain or a query.
    /// </summary>
    private static Task RefuseControlCharactersAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.Value is { } path && path.Any(char.IsControl))
        {
            return ApiErrorResults.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                "The path must not contain control characters.", field: "path");
        }

        foreach (var (name, values) in context.Request.Query)
        {
            if (name.Any(char.IsControl) || values.Any(v => v is not null && v.Any(char.IsControl)))
            {
                var field = new string([.. name.Where(c => !char.IsControl(c))]);
                return ApiErrorResults.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                    $"Query parameter '{field}' must not contain control characters.", field: field);
            }
        }

        return next(context);
    }

    /// <summary>An exception escaped a handler. Grain and storage faults are temporary: the request is safe to retry with its key.</summary>
    private static async Task WriteUnhandledAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is BadHttpRequestException bad)
        {
            // The client's mistake, not ours: no stack trace in the log, no error alert, and nothing to retry.
            var (field, problem) = DescribeBadRequest(context, bad);
            await ApiErrorResults.WriteAsync(context, bad.StatusCode, ErrorCodes.ValidationFailed, problem, field: field);
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Payments.Actors.ApiFront");
        var unavailable = exception is TimeoutException or SocketException or SiloUnavailableException or OrleansMessageRejectionException
            or Npgsql.NpgsqlException or OperationCanceledException;
        LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        await ApiErrorResults.WriteAsync(context,
            unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
            unavailable ? ErrorCodes.ServiceUnavailable : ErrorCodes.InternalError,
            unavailable
                ? "A dependency is temporarily unavailable. Retry with the same Idempotency-Key; it is safe."
                : "An internal error occurred. Retry with the same Idempotency-Key; it is safe.",
            retryable: true);
    }

    /// <summary>
    /// A binding failure in words a client can act on: ASP.NET Core says <c>Failed to bind parameter "Nullable&lt;int&gt; limit"
    /// from "abc".</c>; the client needs the name of its value and what is wrong with it.
    /// </summary>
    private static (string? Field, string Message) DescribeBadRequest(HttpContext context, BadHttpRequestException exception)
    {
        var match = BindFailure().Match(exception.Message);
        if (!match.Success)
        {
            return (null, "The request is malformed.");
        }

        // The client knows its value by the name on the wire ("created[gte]"), not by the handler's parameter name: the
        // query key carrying the refused value is that name.
        var parameter = match.Groups["name"].Value;
        var value = match.Groups["value"].Value;
        var keys = context.Request.Query.Where(q => q.Value.Contains(value)).Select(q => q.Key).ToList();
        var name = keys.Count == 1 ? keys[0] : parameter;
        return (name, $"{name} has a value that is not valid here: '{match.Groups["value"].Value}'.");
    }

    [System.Text.RegularExpressions.GeneratedRegex("""parameter "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from "(?<value>[^"]{0,100})""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    /// <summary>Bodiless framework answers (unknown route, wrong method) still speak the error model.</summary>
    private static Task WriteBareStatusAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var (code, message) = context.Response.StatusCode switch
        {
            StatusCodes.Status400BadRequest => (ErrorCodes.ValidationFailed, "The request is malformed."),
            StatusCodes.Status404NotFound => (ErrorCodes.NotFound, $"No endpoint at {context.Request.Path}."),
            StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path}."),
            StatusCodes.Status415UnsupportedMediaType => (ErrorCodes.UnsupportedMediaType, "Send JSON with Content-Type: application/json."),
            StatusCodes.Status401Unauthorized => (ErrorCodes.Unauthorized, "A valid bearer token is required."),
            StatusCodes.Status403Forbidden => (ErrorCodes.Forbidden, "The token does not grant this operation."),
            _ => (ErrorCodes.InternalError, $"The request failed with status {context.Response.StatusCode}."),
        };
        return ApiErrorResults.WriteAsync(context, context.Response.StatusCode, code, message);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception? exception, string method, string path);
}
