@file:JvmName("Prices")

package dev.corobridge.samples.kotlin

/** A Kotlin interface with a suspend function; in the sample, Java implements it. */
interface PriceSource {
    suspend fun price(item: String): Int
}

/** Kotlin code that uses any [PriceSource], whoever implemented it. */
suspend fun cheapest(source: PriceSource, items: List<String>): String = items.minBy { source.price(it) }
