using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>Writes pre-rendered JSON bytes, so a replay sends exactly what the first answer sent.</summary>
public sealed class RawJsonResult(int statusCode, byte[] body, bool replayed, string? location = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (replayed)
        {
            response.Headers[IdempotencyKey.ReplayedHeaderName] = "true";
        }

        if (location is not null)
        {
            response.Headers.Location = location;
        }

        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
