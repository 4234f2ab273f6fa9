namespace Payments.Actors.Infrastructure.Blobs;

/// <summary>
/// Where raw payloads live (webhook bodies today), by key. Keys are content-addressed by the callers, so putting the
/// same key again puts the same bytes: harmless, and a put that failed half-way is simply repeated.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>; durable when the task completes, or throws.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The bytes stored under <paramref name="key"/>, or null when there are none.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);
}
