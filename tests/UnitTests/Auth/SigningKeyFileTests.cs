using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Actors.ApiFront.Auth;
using Xunit;

namespace Payments.Actors.UnitTests.Auth;

public sealed class SigningKeyFileTests
{
    [Fact]
    public async Task KeyFileIsCreatedOnceAndTokensOfOneInstanceAreAcceptedByAnother()
    {
        using var directory = new TempDirectory();
        var settings = AuthTestApp.DefaultSettings(directory.SigningKeyPath);

        await using var first = await AuthTestApp.StartAsync(settings);
        Assert.True(File.Exists(directory.SigningKeyPath), "the first instance should create the key file at start-up");
        var created = await File.ReadAllTextAsync(directory.SigningKeyPath, TestContext.Current.CancellationToken);
        var token = await first.GetAccessTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret);

        await using var second = await AuthTestApp.StartAsync(settings);
        using var response = await second.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created, await File.ReadAllTextAsync(directory.SigningKeyPath, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(directory.SigningKeyPath)!));
    }

    [Fact]
    public void CreatedKeyFileIsReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes only");
            return;
        }

        using var directory = new TempDirectory();

        SigningKeyFile.LoadOrCreate(directory.SigningKeyPath, NullLogger.Instance);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.SigningKeyPath));
    }

    [Fact]
    public async Task ConcurrentFirstUseCreatesExactlyOneKey()
    {
        using var directory = new TempDirectory();
        using var start = new Barrier(8);

        var keyIds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return SigningKeyFile.LoadOrCreate(directory.SigningKeyPath, NullLogger.Instance).KeyId;
        }, TestContext.Current.CancellationToken)));

        Assert.Single(keyIds.Distinct());
        Assert.Equal([directory.SigningKeyPath], Directory.GetFiles(Path.GetDirectoryName(directory.SigningKeyPath)!));
    }

    [Fact]
    public void ReloadedKeyHasTheSameKeyId()
    {
        using var directory = new TempDirectory();

        var created = SigningKeyFile.LoadOrCreate(directory.SigningKeyPath, NullLogger.Instance);
        var reloaded = SigningKeyFile.LoadOrCreate(directory.SigningKeyPath, NullLogger.Instance);

        Assert.Equal(created.KeyId, reloaded.KeyId);
        Assert.Equal(SigningKeyFile.KeySizeBits, reloaded.KeySize);
    }

    [Fact]
    public void FileWithoutAPrivateKeyIsRefused()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(Path.GetDirectoryName(directory.SigningKeyPath)!);
        File.WriteAllText(directory.SigningKeyPath, "not a key");

        var exception = Assert.Throws<InvalidOperationException>(() => SigningKeyFile.LoadOrCreate(directory.SigningKeyPath, NullLogger.Instance));

        Assert.Contains(directory.SigningKeyPath, exception.Message, StringComparison.Ordinal);
    }
}
