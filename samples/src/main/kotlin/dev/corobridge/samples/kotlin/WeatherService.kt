package dev.corobridge.samples.kotlin

import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** A Kotlin service as a mixed codebase has them: suspend functions and a Flow. */
class WeatherService {
    /** Today's temperature, after a (simulated) network call. */
    suspend fun temperature(city: String): Int {
        delay(20)
        return 10 + city.length
    }

    /** The next three days, one reading at a time. */
    fun forecast(city: String): Flow<Int> = flow {
        for (day in 1..3) {
            delay(10)
            emit(temperature(city) + day)
        }
    }
}
