using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace Payments.Actors.Infrastructure.Blobs;

/// <summary>
/// Blobs as objects of one S3 bucket, through the Minio client (MinIO, AWS S3, any S3-compatible store). S3 answers a
/// PUT only once the object is stored durably, so a completed <see cref="PutAsync"/> has the same meaning as the file
/// store's. The bucket must exist; the silo does not create it.
/// </summary>
public sealed class S3BlobStore(IMinioClient client, string bucket) : IBlobStore
{
    private const string ContentType = "application/octet-stream";

    public string Bucket { get; } = bucket;

    /// <summary>A client for <paramref name="options"/>; <paramref name="http"/> replaces the client's own HTTP client (tests).</summary>
    public static S3BlobStore Create(S3BlobOptions options, HttpClient? http = null)
    {
        var builder = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithSSL(options.UseSsl);
        if (!string.IsNullOrWhiteSpace(options.Region))
        {
            builder = builder.WithRegion(options.Region);
        }

        if (http is not null)
        {
            builder = builder.WithHttpClient(http);
        }

        return new S3BlobStore(builder.Build(), options.Bucket);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(Bucket)
            .WithObject(BlobKeys.Require(key))
            .WithStreamData(stream)
            .WithObjectSize(content.Length)
            .WithContentType(ContentType), cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        try
        {
            await client.GetObjectAsync(new GetObjectArgs()
                .WithBucket(Bucket)
                .WithObject(BlobKeys.Require(key))
                .WithCallbackStream((stream, token) => stream.CopyToAsync(buffer, token)), cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
