/* The neighbour's load for probe.c: spin, pause, syscall, mem or branchy, forever (run.sh kills it). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
static inline long sc0(long n){long r;__asm__ volatile("syscall":"=a"(r):"a"(n):"rcx","r11","memory");return r;}
int main(int argc,char**argv){
  const char*m=argv[1];
  if(!strcmp(m,"spin")) for(;;) __asm__ volatile("");
  if(!strcmp(m,"pause")) for(;;) __asm__ volatile("pause");
  if(!strcmp(m,"syscall")) for(;;) sc0(SYS_getppid);
  if(!strcmp(m,"mem")){ size_t n=(64<<20)/8; volatile size_t*a=malloc(n*8); for(size_t i=0;;i=(i+4099)%n) a[i]++; }
  if(!strcmp(m,"branchy")){ unsigned x=1; for(unsigned long i=0;;i++){ x=x*1103515245+12345; if(x&0x10000) x^=i; else x+=3; if(x&0x200) x*=7; } }
  return 1;
}
