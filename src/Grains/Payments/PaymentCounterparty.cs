using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Payments;

/// <summary>Who answers a payment's PSP requests: the wallet it is paid from, or the adapter of its PSP.</summary>
internal static class PaymentCounterparty
{
    public static Task<PspResult> ExecuteAsync(IGrainFactory grains, PaymentState state, PspRequest request) => state.WalletId is { } walletId
        ? grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(state.MerchantId, walletId)).ExecutePaymentAsync(request)
        : grains.GetGrain<IPspAdapterGrain>(state.Psp).ExecuteAsync(request);

    public static Task<PspResult> InquireAsync(IGrainFactory grains, PaymentState state, PspRequest request) => state.WalletId is { } walletId
        ? grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(state.MerchantId, walletId)).InquirePaymentAsync(request)
        : grains.GetGrain<IPspAdapterGrain>(state.Psp).InquireAsync(request);
}
