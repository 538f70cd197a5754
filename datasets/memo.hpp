#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>

namespace nmfbench::data {

// Values computed once per key and shared between threads: the first caller computes, later
// and concurrent callers wait for and share that result (or its exception).
template <typename Key, typename Value>
class Memo {
 public:
  std::shared_ptr<const Value> get(const Key& key, const std::function<Value()>& compute) {
    std::promise<std::shared_ptr<const Value>> promise;
    std::shared_future<std::shared_ptr<const Value>> future;
    bool mine = false;
    {
      std::lock_guard lock(mutex_);
      auto [it, inserted] = entries_.try_emplace(key);
      if (inserted) {
        it->second = promise.get_future().share();
        mine = true;
      }
      future = it->second;
    }
    if (mine) {
      try {
        promise.set_value(std::make_shared<const Value>(compute()));
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
    }
    return future.get();
  }

 private:
  std::mutex mutex_;
  std::map<Key, std::shared_future<std::shared_ptr<const Value>>> entries_;
};

}  // namespace nmfbench::data
