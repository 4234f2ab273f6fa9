using Microsoft.Extensions.Options;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Fails start-up on an <c>Auth</c> section that would either lock every merchant out or let tokens through that
/// should not be (registered with <c>ValidateOnStart</c>). Messages name the key, never a secret's value.
/// </summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Auth:Audience must not be empty.");
        }

        if (options.AccessTokenLifetime < AuthOptions.AccessTokenLifetimeMin || options.AccessTokenLifetime > AuthOptions.AccessTokenLifetimeMax)
        {
            failures.Add($"Auth:AccessTokenLifetime is {options.AccessTokenLifetime}; it must lie between {AuthOptions.AccessTokenLifetimeMin} and {AuthOptions.AccessTokenLifetimeMax}.");
        }

        if (options.IsEmbedded)
        {
            ValidateEmbedded(options, failures);
        }
        else
        {
            ValidateAuthority(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateAuthority(AuthOptions options, List<string> failures)
    {
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add($"Auth:Authority '{options.Authority}' must be an absolute http(s) URI.");
        }
        else if (options.RequireHttpsMetadata && authority.Scheme != "https")
        {
            failures.Add($"Auth:Authority '{options.Authority}' is plain HTTP while Auth:RequireHttpsMetadata is true.");
        }
    }

    private static void ValidateEmbedded(AuthOptions options, List<string> failures)
    {
        // The issuer is fixed rather than derived from the request, because a Host header chosen by the caller
        // must never decide which issuer the API trusts.
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            failures.Add($"Auth:Issuer '{options.Issuer}' must be an absolute http(s) URI without query or fragment.");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            failures.Add("Auth:SigningKeyPath could not be resolved.");
        }

        if (options.Clients.Count > AuthOptions.ClientsMax)
        {
            failures.Add($"Auth:Clients holds {options.Clients.Count} clients; at most {AuthOptions.ClientsMax} are allowed.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < options.Clients.Count; index++)
        {
            ValidateClient(options.Clients[index], $"Auth:Clients:{index}", seen, failures);
        }
    }

    private static void ValidateClient(AuthClientOptions client, string key, HashSet<string> seen, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId) || client.ClientId.Length > AuthOptions.ClientIdLengthMax
            || client.ClientId.Any(char.IsWhiteSpace))
        {
            failures.Add($"{key}:ClientId must be 1 to {AuthOptions.ClientIdLengthMax} characters without whitespace.");
        }
        else if (!seen.Add(client.ClientId))
        {
            failures.Add($"{key}:ClientId '{client.ClientId}' is configured twice.");
        }

        var secretLength = client.ClientSecret?.Length ?? 0;
        if (secretLength < AuthOptions.ClientSecretLengthMin || secretLength > AuthOptions.ClientSecretLengthMax)
        {
            failures.Add($"{key}:ClientSecret must be {AuthOptions.ClientSecretLengthMin} to {AuthOptions.ClientSecretLengthMax} characters long.");
        }

        var hasMerchant = !string.IsNullOrEmpty(client.MerchantId);
        if (hasMerchant && (client.MerchantId!.Length > AuthOptions.MerchantIdLengthMax || client.MerchantId.Any(char.IsWhiteSpace)))
        {
            failures.Add($"{key}:MerchantId must be at most {AuthOptions.MerchantIdLengthMax} characters without whitespace.");
        }

        if (client.Scopes.Count == 0)
        {
            failures.Add($"{key}:Scopes must name at least one scope.");
        }

        foreach (var scope in client.Scopes)
        {
            if (!Scopes.All.Contains(scope, StringComparer.Ordinal))
            {
                failures.Add($"{key}:Scopes contains '{scope}'; known scopes are {string.Join(", ", Scopes.All)}.");
            }
            else if (!hasMerchant && scope is Scopes.PaymentsRead or Scopes.PaymentsWrite)
            {
                // Payments endpoints act for exactly one merchant; such a token would only ever earn 403s.
                failures.Add($"{key}:Scopes grants '{scope}' but {key}:MerchantId is empty.");
            }
        }
    }
}
