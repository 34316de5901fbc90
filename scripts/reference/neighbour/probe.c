/* scripts/reference/neighbour/run.sh runs this. What a busy neighbour vCPU changes: kernel entry (getppid, ENOSYS) beside three user-space
 * canaries that stress different parts of a core: a multiply chain (the ALU, syscost's canary),
 * unpredictable indirect branches (the branch predictors), a pointer chase over 8 MiB (the caches). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
static inline uint64_t rdtsc(void){unsigned lo,hi;__asm__ volatile("lfence;rdtsc":"=a"(lo),"=d"(hi));return ((uint64_t)hi<<32)|lo;}
static inline long sc0(long n){long r;__asm__ volatile("syscall":"=a"(r):"a"(n):"rcx","r11","memory");return r;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return (x>y)-(x<y);}
static void pin(int c){cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);sched_setaffinity(0,sizeof s,&s);}
typedef unsigned (*fn)(unsigned);
static unsigned f0(unsigned x){return x*3+1;} static unsigned f1(unsigned x){return x^0x55;}
static unsigned f2(unsigned x){return x+7;} static unsigned f3(unsigned x){return x*5;}
static unsigned f4(unsigned x){return x-3;} static unsigned f5(unsigned x){return x<<1|1;}
static unsigned f6(unsigned x){return x>>1;} static unsigned f7(unsigned x){return ~x;}
static fn table[8]={f0,f1,f2,f3,f4,f5,f6,f7};
static size_t *chase; static size_t chaseN = (8<<20)/sizeof(size_t);
#define N 6
static const char *names[N]={"getppid","enosys","mul-chain","branchy","ptr-chase","empty"};
static double batch(int k, long iters){
  uint64_t t0=rdtsc(); volatile unsigned sink; unsigned x=12345; size_t p=0; double m=1.000001, a=1.0;
  switch(k){
  case 0: for(long i=0;i<iters;i++) sc0(SYS_getppid); break;
  case 1: for(long i=0;i<iters;i++) sc0(1000); break;
  case 2: for(long i=0;i<iters;i++){ a*=m; a*=m; a*=m; a*=m; } sink=(unsigned)a; break;
  case 3: for(long i=0;i<iters;i++){ unsigned r=(unsigned)(i*2654435761u)>>29; x=table[(r^x)&7](x);} sink=x; break;
  case 4: for(long i=0;i<iters;i++) p=chase[p]; sink=(unsigned)p; break;
  case 5: for(long i=0;i<iters;i++) __asm__ volatile(""); break;
  }
  (void)sink; return (double)(rdtsc()-t0)/iters;
}
int main(int argc,char**argv){
  int rounds=argc>1?atoi(argv[1]):60; pin(1);
  chase=malloc(chaseN*sizeof(size_t)); for(size_t i=0;i<chaseN;i++)chase[i]=i;
  srand(7); for(size_t i=chaseN-1;i>0;i--){size_t j=(size_t)rand()%i; size_t t=chase[i];chase[i]=chase[j];chase[j]=t;}
  long it[N]; for(int k=0;k<N;k++){ for(it[k]=64;;it[k]*=2){ uint64_t t0=rdtsc(); batch(k,it[k]); if(rdtsc()-t0>4e6*2.6) break; } }
  double *s[N]; for(int k=0;k<N;k++) s[k]=malloc(rounds*sizeof(double));
  for(int r=0;r<rounds;r++) for(int k=0;k<N;k++) s[k][r]=batch(k,it[k]);
  for(int k=0;k<N;k++){ qsort(s[k],rounds,sizeof(double),cmp); printf("%s %.3f %.3f\n",names[k],s[k][rounds/10],s[k][rounds/2]); }
}
