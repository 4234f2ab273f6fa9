using System.Globalization;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Payments.Actors.KafkaEmbedded.Mock;

namespace Payments.Actors.KafkaEmbedded;

/// <summary>Fault injection for tests and demos: broker down/up and request errors (rdkafka_mock.h).</summary>
public static class AdminApi
{
    public static WebApplication MapEmbeddedKafkaAdmin(this WebApplication app)
    {
        app.MapGet("/health", (EmbeddedKafka kafka) => Results.Ok(new { Status = "ok", kafka.Bootstrap }));
        var admin = app.MapGroup("/admin");
        admin.MapGet("/cluster", Cluster);
        admin.MapPost("/brokers/{id:int}/down", (int id, EmbeddedKafka kafka) => SetBroker(kafka, id, up: false));
        admin.MapPost("/brokers/{id:int}/up", (int id, EmbeddedKafka kafka) => SetBroker(kafka, id, up: true));
        admin.MapPost("/errors", PushErrors);
        admin.MapDelete("/errors/{api}", ClearErrors);
        return app;
    }

    private static IResult Cluster(EmbeddedKafka kafka) => Results.Ok(new
    {
        kafka.Bootstrap,
        Brokers = kafka.Brokers().OrderBy(b => b.Key).Select(b => new { Id = b.Key, Up = b.Value }),
        Topics = kafka.Topics().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new { Name = t.Key, Partitions = t.Value }),
    });

    private static IResult SetBroker(EmbeddedKafka kafka, int id, bool up)
    {
        if (!kafka.Brokers().ContainsKey(id))
        {
            return Problem(StatusCodes.Status404NotFound, $"No broker {id}; brokers are 1..{kafka.Cluster.BrokerCount}.");
        }

        kafka.SetBroker(id, up);
        return Results.Ok(new { Id = id, Up = up });
    }

    private static IResult PushErrors(PushErrorsRequest request, EmbeddedKafka kafka)
    {
        if (!TryParseApi(request.Api, out var api))
        {
            return Problem(StatusCodes.Status400BadRequest, $"Unknown api '{request.Api}'; use a name such as Produce, Fetch, OffsetCommit or a number.");
        }

        if (request.Errors is null || request.Errors.Count is 0 or > ErrorsMax)
        {
            return Problem(StatusCodes.Status400BadRequest, $"errors must hold 1..{ErrorsMax} error names.");
        }

        var codes = new List<ErrorCode>(request.Errors.Count);
        foreach (var name in request.Errors)
        {
            if (!KafkaErrorNames.TryParse(name, out var code))
            {
                return Problem(StatusCodes.Status400BadRequest, $"Unknown error '{name}'; use a Kafka name such as NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT or a number.");
            }

            codes.Add(code);
        }

        kafka.Cluster.PushRequestErrors(api, codes);
        return Results.Ok(new { Api = api.ToString(), ApiKey = (short)api, Errors = codes.Select(MockCluster.ErrorName) });
    }

    private static IResult ClearErrors(string api, EmbeddedKafka kafka)
    {
        if (!TryParseApi(api, out var key))
        {
            return Problem(StatusCodes.Status400BadRequest, $"Unknown api '{api}'.");
        }

        kafka.Cluster.ClearRequestErrors(key);
        return Results.NoContent();
    }

    private const int ErrorsMax = 1000;

    private static bool TryParseApi(string? value, out KafkaApiKey api)
    {
        if (short.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            api = (KafkaApiKey)number;
            return true;
        }

        return Enum.TryParse(value, ignoreCase: true, out api) && Enum.IsDefined(api);
    }

    private static IResult Problem(int status, string message) => Results.Json(new { Error = message }, statusCode: status);
}

/// <summary>Body of <c>POST /admin/errors</c>: the next requests of <c>api</c> fail with <c>errors</c>, in order.</summary>
public sealed record PushErrorsRequest(string? Api, List<string>? Errors);
